"""Product images: check an upload really is a picture, re-encode it, make a thumbnail, store.

An upload is untrusted bytes. It is refused unless Pillow's JPEG, PNG or WebP decoder takes it,
its header passes ``verify()``, it is at most ``MAX_BYTES`` and ``MAX_PIXELS`` (a small file
can decode to gigabytes: a decompression bomb). What is stored is never the upload itself but a
re-encoding of its pixels, so EXIF (GPS position, camera serial), comments and any payload
appended to the file are gone. Files live under the media root, per tenant:
``<media root>/<tenant code>/products/<product id>/<random>.<ext>``.
"""
from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from pasar.catalog.models import Product, ProductImage
from pasar.catalog.service import InvalidCatalogInput
from pasar.config import Settings, var_dir
from pasar.tenancy.service import TenantContext

MAX_BYTES = 10 * 1024 * 1024
MAX_IMAGES_PER_PRODUCT = 12
MAX_PIXELS = 40_000_000
THUMBNAIL_SIDE = 400
#: Pillow format → (file extension, content type) of what is stored.
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why."""


class ImageTooLarge(ImageRejected):
    """Over ``MAX_BYTES`` or ``MAX_PIXELS``."""


@dataclass(frozen=True)
class ProcessedImage:
    """A cleaned picture and its thumbnail, encoded and ready to store."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int
    extension: str
    content_type: str


def media_root(settings: Settings) -> Path:
    """``settings.extra["media_dir"]`` if set, else ``<var>/media`` (``PASAR_VAR_DIR``
    moves it, which is how tests keep files out of the checkout)."""
    configured = settings.extra.get("media_dir")
    return Path(configured) if configured else var_dir() / "media"


def process(data: bytes) -> ProcessedImage:
    """Check and re-encode an upload; ``ImageRejected`` says what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ImageTooLarge(f"the file is over {MAX_BYTES // (1024 * 1024)} MiB")
    image_format = _verified_format(data)
    image = _decoded(data)
    extension, content_type = FORMATS[image_format]
    try:
        clean = _without_metadata(ImageOps.exif_transpose(image), image_format)
        thumbnail = clean.copy()
        thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        encoded, small = _encode(clean, image_format), _encode(thumbnail, image_format)
    except (OSError, ValueError) as exc:  # an exotic pixel mode Pillow cannot convert or save
        raise ImageRejected(f"the picture cannot be re-encoded ({exc})") from None
    return ProcessedImage(
        data=encoded, thumbnail=small, width=clean.width, height=clean.height,
        extension=extension, content_type=content_type,
    )


def _open(data: bytes) -> Image.Image:
    """Open lazily (header only), treating Pillow's bomb warning as the refusal it should be."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only these decoders ever see the bytes: fewer parsers, less attack surface.
            image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge(f"the picture is over {MAX_PIXELS // 1_000_000} megapixels") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ImageRejected("not a picture we accept: upload a JPEG, PNG or WebP") from None
    if image.width * image.height > MAX_PIXELS:
        raise ImageTooLarge(f"the picture is over {MAX_PIXELS // 1_000_000} megapixels")
    return image


def _verified_format(data: bytes) -> str:
    """``verify()`` checks the file's structure without decoding the pixels."""
    image = _open(data)
    try:
        image.verify()
    except Exception:  # Pillow raises many types for a corrupt file; all mean "refuse it"
        raise ImageRejected("the picture is damaged") from None
    return str(image.format)


def _decoded(data: bytes) -> Image.Image:
    """The pixels (``verify()`` leaves the image unusable, so it is opened again)."""
    image = _open(data)
    try:
        image.load()
    except Exception:
        raise ImageRejected("the picture is damaged") from None
    return image


def _without_metadata(image: Image.Image, image_format: str) -> Image.Image:
    """A copy with only pixels: no EXIF, ICC, comments or text chunks reach the stored file."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    image.save(out, format=image_format, **options)
    return out.getvalue()


class MediaStore:
    """Files under one media root; paths handed out are relative to the tenant's folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def tenant_dir(self, tenant_code: str) -> Path:
        return self.root / tenant_code

    def save_product_image(self, tenant_code: str, product_id: int, image: ProcessedImage) -> tuple[str, str]:
        """Write the picture and its thumbnail; returns their relative paths."""
        stem = f"products/{product_id}/{secrets.token_hex(12)}"
        original, thumbnail = f"{stem}.{image.extension}", f"{stem}_thumb.{image.extension}"
        self._write(tenant_code, original, image.data)
        self._write(tenant_code, thumbnail, image.thumbnail)
        return original, thumbnail

    def _write(self, tenant_code: str, relative: str, data: bytes) -> None:
        path = self.tenant_dir(tenant_code) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file

    def remove(self, tenant_code: str, *relatives: str) -> None:
        """Delete files (when the database row that named them was not stored)."""
        for relative in relatives:
            (self.tenant_dir(tenant_code) / relative).unlink(missing_ok=True)


def add_product_image(
    session: Session, tenant: TenantContext, product: Product, data: bytes, store: MediaStore
) -> ProductImage:
    """Check, clean and store an upload as the product's next picture."""
    if len(product.images) >= MAX_IMAGES_PER_PRODUCT:
        raise InvalidCatalogInput(f"a product has at most {MAX_IMAGES_PER_PRODUCT} pictures", "file")
    processed = process(data)
    original, thumbnail = store.save_product_image(tenant.code, product.id, processed)
    image = ProductImage(
        position=max((i.position for i in product.images), default=-1) + 1,
        original_path=original, thumbnail_path=thumbnail, width=processed.width,
        height=processed.height, content_type=processed.content_type,
    )
    product.images.append(image)
    try:
        session.flush()
    except Exception:
        store.remove(tenant.code, original, thumbnail)
        raise
    return image
