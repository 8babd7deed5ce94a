"""sentinelle's own PDQ core: Meta's algorithm, computed faster.

PDQ turns luma into a 64x64 image with two passes of a box filter along each
axis (a tent filter, "Jarosz" filter) and a decimation that keeps the pixel at
the centre of each of 64 bands. Both steps are linear, so for an image of a
given size they collapse into one small weight table per axis: output row ``i``
is a weighted sum of a few input rows (at most ``2 * window - 1``). The kernel
below visits each input pixel about once instead of four times, never builds
the full-size float buffers, and reads 8-bit luma or RGB directly.

Fed the same pixels, it gives the hash and quality of the reference code
(``pdqhash``) bit for bit on every test photo; only where coefficients tie at the
median (tiny or nearly flat pictures) can near-ties break differently, because the
reference sums in single precision (docs/hashing.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final, NamedTuple

import numba
import numpy as np
import numpy.typing as npt

#: Images smaller than this on either side hash to zero with quality 0, as in the reference.
MIN_HASHABLE_DIM: Final = 5
_OUT: Final = 64

FloatArray = npt.NDArray[np.float64]


class AxisWeights(NamedTuple):
    """For each of the 64 outputs: first input index, number of inputs, their weights."""

    starts: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    weights: FloatArray


def jarosz_window(length: int) -> int:
    """The box-filter window the reference uses to bring ``length`` down to 64."""
    return (length + 2 * _OUT - 1) // (2 * _OUT)


def _box_row(centre: int, length: int, window: int) -> tuple[int, int]:
    half = (window + 2) // 2
    return max(0, centre - (window - half)), min(length - 1, centre + half - 1)


@lru_cache(maxsize=256)
def axis_weights(length: int) -> AxisWeights:
    """Weights of box filter applied twice, then decimated, along an axis of ``length``."""
    window = jarosz_window(length)
    span = 2 * window + 1
    starts = np.zeros(_OUT, np.int64)
    lengths = np.zeros(_OUT, np.int64)
    weights = np.zeros((_OUT, span), np.float64)
    for out in range(_OUT):
        sample = int(((out + 0.5) * length) / _OUT)
        combined: dict[int, float] = {}
        lo, hi = _box_row(sample, length, window)
        for middle in range(lo, hi + 1):
            inner_lo, inner_hi = _box_row(middle, length, window)
            share = 1.0 / (hi - lo + 1) / (inner_hi - inner_lo + 1)
            for source in range(inner_lo, inner_hi + 1):
                combined[source] = combined.get(source, 0.0) + share
        first = min(combined)
        starts[out] = first
        lengths[out] = len(combined)
        for source, weight in combined.items():
            weights[out, source - first] = weight
    for table in (starts, lengths, weights):
        table.setflags(write=False)
    return AxisWeights(starts, lengths, weights)


@numba.njit(cache=True, nogil=True)
def _reduce_grey(
    pixels: npt.NDArray[np.uint8],
    row_starts: npt.NDArray[np.int64],
    row_lengths: npt.NDArray[np.int64],
    row_weights: FloatArray,
    col_starts: npt.NDArray[np.int64],
    col_lengths: npt.NDArray[np.int64],
    col_weights: FloatArray,
) -> FloatArray:
    width = pixels.shape[1]
    rows = np.zeros((64, width), np.float64)
    for out in range(64):
        for k in range(row_lengths[out]):
            weight = row_weights[out, k]
            source = pixels[row_starts[out] + k]
            for x in range(width):
                rows[out, x] += weight * np.float32(source[x])
    return _reduce_columns(rows, col_starts, col_lengths, col_weights)


@numba.njit(cache=True, nogil=True)
def _reduce_rgb(
    pixels: npt.NDArray[np.uint8],
    row_starts: npt.NDArray[np.int64],
    row_lengths: npt.NDArray[np.int64],
    row_weights: FloatArray,
    col_starts: npt.NDArray[np.int64],
    col_lengths: npt.NDArray[np.int64],
    col_weights: FloatArray,
) -> FloatArray:
    width = pixels.shape[1]
    rows = np.zeros((64, width), np.float64)
    for out in range(64):
        for k in range(row_lengths[out]):
            weight = row_weights[out, k]
            source = pixels[row_starts[out] + k]
            for x in range(width):
                # The reference's luma: computed in double precision, stored as float.
                luma = np.float32(
                    source[x, 0] * 0.299 + source[x, 1] * 0.587 + source[x, 2] * 0.114
                )
                rows[out, x] += weight * luma
    return _reduce_columns(rows, col_starts, col_lengths, col_weights)


@numba.njit(cache=True, nogil=True)
def _reduce_columns(
    rows: FloatArray,
    col_starts: npt.NDArray[np.int64],
    col_lengths: npt.NDArray[np.int64],
    col_weights: FloatArray,
) -> FloatArray:
    out = np.zeros((64, 64), np.float64)
    for i in range(64):
        for j in range(64):
            total = 0.0
            for k in range(col_lengths[j]):
                total += col_weights[j, k] * rows[i, col_starts[j] + k]
            out[i, j] = total
    return out


def downsample(pixels: npt.NDArray[np.uint8]) -> FloatArray:
    """The reference's 64x64 blurred, decimated luma of grey (H, W) or RGB (H, W, 3) pixels."""
    height, width = pixels.shape[0], pixels.shape[1]
    rows, cols = axis_weights(height), axis_weights(width)
    kernel = _reduce_rgb if pixels.ndim == 3 else _reduce_grey
    result: FloatArray = kernel(np.ascontiguousarray(pixels), *rows, *cols)
    return result


def _dct_matrix() -> npt.NDArray[np.float32]:
    # As the reference builds it: a float scale factor times a double cosine, stored as float.
    scale = float(np.float32(np.sqrt(2.0 / 64.0)))
    rows = np.arange(1, 17, dtype=np.float64)[:, np.newaxis]
    cols = np.arange(64, dtype=np.float64)[np.newaxis, :]
    return (scale * np.cos((np.pi / 2.0 / 64.0) * rows * (2 * cols + 1))).astype(np.float32)


_DCT: Final = _dct_matrix()


@numba.njit(cache=True, nogil=True)
def _dct(grid: npt.NDArray[np.float32], dct: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    # Single precision, summed in the reference's order, so ties break as they do there.
    half = np.zeros((16, 64), np.float32)
    for i in range(16):
        for j in range(64):
            total = np.float32(0.0)
            for k in range(64):
                total += dct[i, k] * grid[k, j]
            half[i, j] = total
    out = np.zeros((16, 16), np.float32)
    for i in range(16):
        for j in range(16):
            total = np.float32(0.0)
            for k in range(64):
                total += half[i, k] * dct[j, k]
            out[i, j] = total
    return out


def dct64_to_16(grid: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The 16x16 low-frequency DCT coefficients of the 64x64 downsample (skipping DC)."""
    result: npt.NDArray[np.float32] = _dct(np.ascontiguousarray(grid, np.float32), _DCT)
    return result
