"""Extraction against the sandbox web: every page of a small world (fixed seed) is fetched
over HTTP from the running sandbox (loopback only), extracted, its stylesheets fetched and
extracted, and compared with the sandbox's manifest:

* every media URL the manifest places in a document is found there (data: URIs by their
  bytes and declared type), reported per construct;
* nothing else is found, except the documented extra: the trap site's ``<a href>`` links
  to its hostile files (``/files/huge.jpg``...) are media by their extension;
* every page's links, every frame and every stylesheet the manifest names are found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from extract_support import expected_by_document, fetch

from sentinelle.crawl.extract import Extraction, Placement, extract, extract_stylesheet
from sentinelle.crawl.normalize import normalize_url
from sentinelle.sandbox import Sandbox, SandboxThread, build_world, manifest_records

WORLDS = [(20_260_601, 60), (7, 600)]


@dataclass
class Crawl:
    """The sandbox, its manifest, and what extraction found in every document."""

    sandbox: Sandbox
    records: list[dict[str, Any]]
    found: dict[str, Extraction] = field(default_factory=dict)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [record for record in self.records if record["type"] == kind]


@pytest.fixture(scope="module", params=WORLDS, ids=[f"seed{s}-{n}" for s, n in WORLDS])
def crawl(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Crawl]:
    seed, images = request.param
    world = build_world(seed, images=images)
    folder: Path = tmp_path_factory.mktemp("sandbox-logs")
    with SandboxThread(world, log_folder=folder) as sandbox:
        result = Crawl(sandbox, list(manifest_records(world, sandbox.port)))
        for page in result.of("page"):
            answer = fetch(sandbox.resolver, page["url"])
            assert answer.status == 200, page["url"]
            found = extract(answer.body, page["url"], content_type=answer.content_type)
            result.found[normalize_url(page["url"]).url] = found
            for sheet in found.stylesheets:
                if sheet not in result.found:
                    reply = fetch(sandbox.resolver, sheet)
                    assert reply.status == 200, sheet
                    result.found[sheet] = extract_stylesheet(
                        reply.body, sheet, content_type=reply.content_type)
        yield result


def test_every_expected_media_url_is_found(crawl: Crawl) -> None:
    expected_count: Counter[str] = Counter()
    missing: list[str] = []
    for document, expected in expected_by_document(crawl.records).items():
        found = crawl.found.get(document)
        assert found is not None, f"the manifest places media in {document}, never fetched"
        urls = set(found.media_urls)
        for url, construct in expected.urls.items():
            expected_count[construct] += 1
            if url not in urls:
                missing.append(f"{construct}: {url} in {document}")
        for media_id, content_type, construct in expected.data:
            expected_count[construct] += 1
            data = crawl.sandbox.images.bytes_of(media_id)
            if not any(item.data == data and item.media_type == content_type
                       for item in found.data_media):
                missing.append(f"{construct}: data: URI of media {media_id} in {document}")
    assert not missing, "\n".join(missing)
    # every construct of the sandbox is exercised
    constructs = {record["construct"] for record in crawl.of("placement")}
    assert set(expected_count) == constructs
    print("\nexpected media found, per construct:",
          ", ".join(f"{name} {count}/{count}" for name, count in sorted(expected_count.items())))


def test_nothing_outside_the_manifest_but_documented_extras(crawl: Crawl) -> None:
    expected = expected_by_document(crawl.records)
    hostile = {normalize_url(record["url"]).url for record in crawl.of("hostile")}
    extras = []
    for document, found in crawl.found.items():
        allowed = expected[document].urls if document in expected else {}
        for ref in found.media:
            if ref.url in allowed:
                continue
            if ref.url in hostile and ref.placement is Placement.A_HREF_MEDIA:
                continue  # documented: the trap site links to its hostile files
            extras.append(f"{ref.url} ({ref.placement}, {ref.detail}) in {document}")
        expected_data = len(expected[document].data) if document in expected else 0
        assert len(found.data_media) == expected_data, document
    assert not extras, "\n".join(extras)


def test_links_frames_and_stylesheets_are_found(crawl: Crawl) -> None:
    hostile = {normalize_url(record["url"]).url for record in crawl.of("hostile")}
    for page in crawl.of("page"):
        found = crawl.found[normalize_url(page["url"]).url]
        links = {link.url for link in found.links}
        for link in page["links"]:
            url = normalize_url(link).url
            assert url in links or (url in hostile and url in found.media_urls), (url, page)
    for placement in crawl.of("placement"):
        holder = normalize_url(placement["page"]).url
        document = normalize_url(placement["document"]).url
        if holder == document:
            continue
        found = crawl.found[holder]
        if placement["construct"] == "stylesheet":
            assert document in found.stylesheets
        else:
            assert placement["construct"] == "iframe"
            assert document in found.frames


def test_placements_match_the_sandbox_constructs(crawl: Crawl) -> None:
    """How each construct is found: the placement extraction records for it."""
    expected = expected_by_document(crawl.records)
    seen: dict[str, set[str]] = {}
    for document, wanted in expected.items():
        for ref in crawl.found[document].media:
            if ref.url in wanted.urls:
                seen.setdefault(wanted.urls[ref.url], set()).add(str(ref.placement))
    assert seen["srcset"] == {"srcset"}
    assert seen["picture-source"] == {"picture_source", "img_src"}
    assert seen["lazy-attribute"] == {"lazy_attr"}
    assert seen["noscript"] == {"noscript"}
    assert seen["inline-style"] == {"inline_style"}
    assert seen["style-element"] == {"style_element"}
    assert seen["stylesheet"] == {"stylesheet"}
    assert seen["link-href"] == {"a_href_media"}
    assert seen["og-image"] == {"og_image"}
    assert seen["twitter-image"] == {"twitter_image"}
    assert seen["video-poster"] == {"video_poster"}
    assert seen["preload"] == {"preload"}
    for construct in ("img-src", "base-href", "iframe", "redirect", "no-extension",
                      "wrong-content-type", "query-string", "page-redirect", "pagination",
                      "gallery"):
        assert seen[construct] == {"img_src"}, construct
