"""srcset split as the HTML standard says: commas inside URLs, w/x/h descriptors, errors."""

from __future__ import annotations

import pytest

from sentinelle.crawl.extract import Placement, extract
from sentinelle.crawl.srcset import Candidate, parse_srcset


def urls(value: str) -> list[str]:
    return [candidate.url for candidate in parse_srcset(value)]


@pytest.mark.parametrize(("value", "expected"), [
    ("a.jpg", ["a.jpg"]),
    ("a.jpg 1x, b.jpg 2x", ["a.jpg", "b.jpg"]),
    ("a.jpg 320w,b.jpg 640w", ["a.jpg", "b.jpg"]),
    ("  \n a.jpg \t 1x ,\n\n b.jpg   2x  ,  ", ["a.jpg", "b.jpg"]),
    ("a.jpg, b.jpg", ["a.jpg", "b.jpg"]),
    ("a.jpg,,, b.jpg 2x", ["a.jpg", "b.jpg"]),
    (",,,a.jpg", ["a.jpg"]),
    # a comma inside a URL stays in it; only trailing commas end a URL
    ("https://img.example/c_fill,w_200/a.jpg 1x, https://img.example/c_fill,w_400/a.jpg 2x",
     ["https://img.example/c_fill,w_200/a.jpg", "https://img.example/c_fill,w_400/a.jpg"]),
    ("a.jpg,b.jpg 2x", ["a.jpg,b.jpg"]),
    # descriptors run to a comma outside parentheses
    ("a.jpg 1x (with, commas), b.jpg 2x", ["a.jpg", "b.jpg"]),
    ("data:image/gif;base64,R0lGODlh 1x, b.jpg 2x", ["data:image/gif;base64,R0lGODlh", "b.jpg"]),
    ("", []),
    ("   ,  ,", []),
])
def test_urls(value: str, expected: list[str]) -> None:
    assert urls(value) == expected


def test_descriptors_are_read() -> None:
    assert parse_srcset("a.jpg 320w, b.jpg 1.5x, c.jpg 640w 480h, d.jpg") == [
        Candidate("a.jpg", ("320w",), width=320),
        Candidate("b.jpg", ("1.5x",), density=1.5),
        Candidate("c.jpg", ("640w", "480h"), width=640, height=480),
        Candidate("d.jpg"),
    ]


@pytest.mark.parametrize("value", [
    "a.jpg 1x 2x", "a.jpg 320w 2x", "a.jpg 0w", "a.jpg -1x", "a.jpg 2q", "a.jpg 480h",
    "a.jpg 1.5w", "a.jpg x", "a.jpg 1e", "a.jpg 10w 10w",
])
def test_invalid_descriptors_keep_the_url_but_flag_it(value: str) -> None:
    (candidate,) = parse_srcset(value)
    assert candidate.url == "a.jpg"
    assert not candidate.valid


def test_density_accepts_html_floats() -> None:
    assert [c.density for c in parse_srcset("a 1e1x, b .5x, c 2.0x")] == [10.0, 0.5, 2.0]
    assert all(c.valid for c in parse_srcset("a 1e1x, b .5x, c 2.0x"))


def test_huge_numbers_do_not_raise() -> None:
    (candidate,) = parse_srcset("a.jpg " + "9" * 10_000 + "w")
    assert candidate.width is not None and candidate.width > 0


def test_unclosed_parenthesis_takes_the_rest() -> None:
    assert urls("a.jpg 1x (oops, b.jpg 2x") == ["a.jpg"]


def test_srcset_in_a_page_resolves_each_candidate() -> None:
    found = extract('<img srcset="/a,1.jpg 1x, b.jpg 2x, /a,1.jpg 3x">',
                    "http://pics.example/dir/index.html")
    assert [(ref.url, ref.placement) for ref in found.media] == [
        ("http://pics.example/a,1.jpg", Placement.SRCSET),
        ("http://pics.example/dir/b.jpg", Placement.SRCSET),
    ]
