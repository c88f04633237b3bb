"""The city map of a map activity: an uploaded PNG, JPEG or WebP (at most 10 MB), checked by
decoding it with Pillow (a decompression bomb, a truncated file or another format is
refused with 422), re-encoded without its metadata (EXIF, GPS, comments) and kept in
``MAP_IMAGE_DIR`` (``WORKSHOP_MAP_IMAGE_DIR``, default ``instance/map-images``), served by
the app itself so the room needs no internet."""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from ..models import Activity, Facilitator
from ..services import audit
from ..services.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 10 MB PNG may decode to far more: that is a bomb
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_SIDE = 4096  # re-encoded no larger: enough for a projector and a phone zoom


def image_dir() -> Path:
    path = Path(current_app.config["MAP_IMAGE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def decode(data: bytes) -> Image.Image:
    """The decoded image, or 422 naming what is wrong."""
    if not data:
        raise Invalid("the file is empty", "invalid_image")
    if len(data) > MAX_BYTES:
        raise Invalid("the image is larger than 10 MB", "image_too_big")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise Invalid("send a PNG, JPEG or WebP image", "invalid_image")
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("the image has too many pixels", "image_too_big")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid("the image has too many pixels", "image_too_big") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(
            "the file is not a readable PNG, JPEG or WebP image", "invalid_image"
        ) from None
    return image


def store_map_image(activity: Activity, data: bytes, actor: Facilitator | None) -> dict:
    """Check, re-encode and keep the map image of ``activity``; returns its fields."""
    if activity.kind != "map":
        raise Invalid("only a map activity has an image", "wrong_kind")
    image = decode(data)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "transparency" in image.info or image.mode in ("LA", "PA") else "RGB"
        )
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # pixels only: no EXIF, ICC, text chunks
    buffer = io.BytesIO()
    if clean.mode == "RGBA":
        clean.save(buffer, "PNG", optimize=True)
        extension = "png"
    else:
        clean.save(buffer, "JPEG", quality=88)
        extension = "jpg"
    name = f"{activity.id}-{secrets.token_hex(8)}.{extension}"
    (image_dir() / name).write_bytes(buffer.getvalue())
    activity.map_image = {"file": name, "width": clean.width, "height": clean.height}
    audit.record(
        activity.workshop,
        actor,
        "map_image",
        "activity",
        activity.id,
        width=clean.width,
        height=clean.height,
    )
    return activity.map_image
