"""An article's photo, made safe to serve: decoded by Pillow (JPEG, PNG, GIF and WebP only), refused when it
would unpack to too many pixels, turned upright, scaled to fit a reading column, and written anew as WebP
from its pixels alone, so no metadata (EXIF with its GPS position, comments, colour profiles) and nothing
else the original carried is ever served. Nothing here writes or fetches."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

# The decoders Pillow may use: a format outside these is never parsed at all.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# A photo larger than this (before scaling) is refused unread: a few compressed kilobytes can declare a
# picture that unpacks to gigabytes (a "decompression bomb").
MAX_SOURCE_PIXELS = 40_000_000
# What is served: at most this wide or tall (twice a reading column on a dense screen).
MAX_WIDTH, MAX_HEIGHT = 1600, 2400
# Smaller than this on either side is a tracking pixel, a spacer or an icon, not a photo.
MIN_SIDE = 32
WEBP_QUALITY = 82


class ImageRejected(ValueError):
    """An image that is not kept; the message says why, for the note left in its place."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int
    content_type: str = "image/webp"
    extension: str = "webp"


def clean_image(data: bytes) -> CleanImage:
    """`data` decoded and written anew (see the module's docstring), or ImageRejected."""
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own pixel limit; both are refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as source:
                width, height = source.size
                if width * height > MAX_SOURCE_PIXELS:
                    raise ImageRejected(
                        f"it is {width:,} × {height:,} pixels, more than the {MAX_SOURCE_PIXELS:,} newsreader "
                        "reads"
                    )
                if min(width, height) < MIN_SIDE:
                    raise ImageRejected(f"it is only {width} × {height} pixels, too small to be a photo")
                source.seek(0)  # the first frame of an animation
                source.draft("RGB", (MAX_WIDTH, MAX_HEIGHT))  # a large JPEG is decoded at a smaller scale
                picture = ImageOps.exif_transpose(source)
                has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
                picture = picture.convert("RGBA" if has_alpha else "RGB")
                picture.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
                # Only the pixels go on: a new image has no metadata of the original's.
                pixels = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"it would unpack to more than {MAX_SOURCE_PIXELS:,} pixels") from None
    except Image.UnidentifiedImageError:
        raise ImageRejected("it is not a JPEG, PNG, GIF or WebP image") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        raise ImageRejected(f"it could not be read ({type(error).__name__})") from None
    out = io.BytesIO()
    pixels.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return CleanImage(out.getvalue(), pixels.width, pixels.height)
