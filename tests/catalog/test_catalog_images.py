"""Product pictures: only real images, re-encoded without metadata, with a 400 px thumbnail,
stored under the media directory (a temporary one here, never the checkout) and served back."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from pasar.catalog import images
from pasar.testing.catalog_factories import products_for
from pasar.testing.sellers_factories import sellers_for

UK = {"X-Pasar-Tenant": "uk"}
CAMERA_MAKE = 0x010F  # an EXIF tag a phone fills in


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def media_app(make_app: Any, media_dir: Path) -> Any:
    return make_app(extra={"media_dir": str(media_dir)})


@pytest.fixture()
def shop(media_app: Any, tmp_path: Path) -> tuple[Any, Any]:
    """A seller of the media app and one product of theirs."""
    seller = sellers_for(media_app, tmp_path / "kyc")("uk")
    return seller, products_for(media_app)(seller)


def picture(size: tuple[int, int] = (1200, 800), image_format: str = "JPEG", mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, color=(200, 40, 40) if mode == "RGB" else 0)
    exif = Image.Exif()
    exif[CAMERA_MAKE] = "SpyCam 3000"
    out = io.BytesIO()
    image.save(out, format=image_format, **({"exif": exif.tobytes()} if image_format == "JPEG" else {}))
    return out.getvalue()


def upload(client: Any, seller: Any, product_id: int, data: bytes, name: str = "photo.jpg") -> Any:
    # Encoded in memory: the test client's own encoder spools big bodies to a temporary file
    # it never closes (a ResourceWarning, which this suite treats as an error).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(
        f"/api/v1/seller/products/{product_id}/images", data=body, headers=seller.headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def fetch(client: Any, url: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """GET a file and close the response (it holds the file open)."""
    response = client.get(url, headers=headers or {})
    try:
        return response.status_code, response.mimetype, response.get_data()
    finally:
        response.close()


def test_a_photo_is_stored_without_its_metadata_next_to_a_400_px_thumbnail(
    media_app: Any, media_dir: Path, shop: tuple[Any, Any]
) -> None:
    seller, product = shop
    client = media_app.test_client()
    sent = picture()
    assert Image.open(io.BytesIO(sent)).getexif()[CAMERA_MAKE] == "SpyCam 3000"

    answer = upload(client, seller, product.id, sent)
    assert answer.status_code == 201, answer.json
    assert (answer.json["width"], answer.json["height"], answer.json["content_type"]) == (1200, 800, "image/jpeg")
    stored = sorted((media_dir / "uk" / "products" / str(product.id)).iterdir())
    assert len(stored) == 2
    original, thumbnail = sorted(stored, key=lambda p: "_thumb" in p.name)
    with Image.open(original) as clean:
        assert clean.size == (1200, 800) and dict(clean.getexif()) == {}
    with Image.open(thumbnail) as small:
        assert small.size == (400, 267)

    status, mimetype, data = fetch(client, answer.json["thumbnail_url"])
    assert (status, mimetype) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(data)).size == (400, 267)
    detail = client.get(f"/api/v1/products/{product.id}", headers=UK).json
    assert [i["url"] for i in detail["images"]] == [answer.json["url"]]
    card = client.get("/api/v1/products", query_string={"seller": seller.id}, headers=UK).json["items"][0]
    assert card["thumbnail_url"] == answer.json["thumbnail_url"]


def test_pictures_are_served_by_their_tenant_only(media_app: Any, shop: tuple[Any, Any]) -> None:
    seller, product = shop
    client = media_app.test_client()
    url = upload(client, seller, product.id, picture((300, 300), "PNG"), "p.png").json["url"]
    assert url.startswith("/media/uk/products/")
    assert fetch(client, url)[0] == 200  # an <img> sends no tenant header
    assert fetch(client, url, {"X-Pasar-Tenant": "de"})[0] == 404
    assert fetch(client, url.replace("/media/uk/", "/media/de/"))[0] == 404
    assert fetch(client, "/media/uk/../../etc/passwd")[0] == 404


def test_a_text_file_is_refused(media_app: Any, shop: tuple[Any, Any]) -> None:
    seller, product = shop
    answer = upload(media_app.test_client(), seller, product.id, b"just some text\n", "notes.jpg")
    assert answer.status_code == 422
    assert "JPEG, PNG or WebP" in answer.json["errors"]["file"][0]


def test_a_damaged_picture_is_refused(media_app: Any, shop: tuple[Any, Any]) -> None:
    seller, product = shop
    truncated = picture((600, 600), "PNG")[:200]
    answer = upload(media_app.test_client(), seller, product.id, truncated, "cut.png")
    assert answer.status_code == 422 and "file" in answer.json["errors"]


def test_a_file_over_10_mib_is_refused(media_app: Any, media_dir: Path, shop: tuple[Any, Any]) -> None:
    seller, product = shop
    answer = upload(media_app.test_client(), seller, product.id, picture()[:1000] + b"\0" * (11 * 1024 * 1024))
    assert answer.status_code == 413
    assert not (media_dir / "uk" / "products" / str(product.id)).exists()


def test_a_decompression_bomb_is_refused(media_app: Any, shop: tuple[Any, Any]) -> None:
    seller, product = shop
    bomb = picture((8000, 6000), "PNG", mode="1")  # 48 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    answer = upload(media_app.test_client(), seller, product.id, bomb, "bomb.png")
    assert answer.status_code == 413
    assert "megapixels" in answer.json["errors"]["file"][0]


def test_processing_keeps_transparency_and_webp(tmp_path: Path) -> None:
    transparent = io.BytesIO()
    Image.new("RGBA", (800, 200), (0, 0, 0, 0)).save(transparent, format="PNG")
    png = images.process(transparent.getvalue())
    assert (png.content_type, png.width, png.height) == ("image/png", 800, 200)
    assert Image.open(io.BytesIO(png.thumbnail)).size == (400, 100)
    assert Image.open(io.BytesIO(png.data)).mode == "RGBA"
    webp = io.BytesIO()
    Image.new("RGB", (100, 100), (1, 2, 3)).save(webp, format="WEBP")
    assert images.process(webp.getvalue()).extension == "webp"


def test_gif_and_other_formats_are_not_accepted() -> None:
    gif = io.BytesIO()
    Image.new("P", (10, 10)).save(gif, format="GIF")
    with pytest.raises(images.ImageRejected, match="JPEG, PNG or WebP"):
        images.process(gif.getvalue())
