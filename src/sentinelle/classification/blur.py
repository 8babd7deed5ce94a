"""The blurred view of a review item, made on the server: the original never reaches the
browser unless the analyst asks for it (an audited reveal).

Decode with Pillow (the decompression-bomb limit raised to an error), keep the first frame,
make it grey, shrink it hard, blur it strongly, and encode a small greyscale PNG. Shrinking
before blurring throws the detail away, so no browser-side filter can be undone.
"""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, ImageFilter

from sentinelle.classification.exceptions import NotAPicture

#: The picture is reduced to this many pixels on its longer side, then shown at most this big.
DETAIL: Final = 32
SHOWN: Final = 240
RADIUS: Final = 6
MAX_PIXELS: Final = 80_000_000


def blurred(data: bytes) -> bytes:
    """A greyscale, strongly blurred, small PNG of the picture in ``data``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise NotAPicture("the picture is too large to preview")
                opened.seek(0)
                grey = opened.convert("L")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise NotAPicture(f"no preview: {exc.__class__.__name__}") from None
    scale = DETAIL / max(grey.width, grey.height, 1)
    small = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.Resampling.BOX)
    shown = SHOWN / max(small.width, small.height)
    size = (max(1, round(small.width * shown)), max(1, round(small.height * shown)))
    result = small.resize(size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(RADIUS))
    buffer = io.BytesIO()
    result.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
