"""KYC documents: accepted by their magic bytes only, at most 5 MiB, of a kind the plugin asks
for, stored content-addressed under the uploads directory."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pasar.testing.sellers_factories import PDF_BYTES, PNG_BYTES

MIB = 1024 * 1024
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


def test_a_png_is_stored_under_the_tenant_and_the_shop_by_its_hash(
    client: Any, make_seller: Any, upload: Any, var_dir: Path
) -> None:
    shop = make_seller("uk", status="pending")

    answer = upload(shop.headers, "certificate_of_incorporation", PNG_BYTES, "incorporation.png")

    assert answer.status_code == 201, answer.get_json()
    document = answer.get_json()
    digest = hashlib.sha256(PNG_BYTES).hexdigest()
    assert document["content_type"] == "image/png" and document["sha256"] == digest
    assert document["size"] == len(PNG_BYTES) and document["filename"] == "incorporation.png"
    assert (var_dir / "uploads" / "uk" / str(shop.id) / digest).read_bytes() == PNG_BYTES


def test_an_uploaded_document_counts_towards_approval(client: Any, make_seller: Any, upload: Any) -> None:
    shop = make_seller("uk", status="pending")

    upload(shop.headers, "proof_of_address", PDF_BYTES, "bill.pdf", "application/pdf")

    own = client.get("/api/v1/seller", headers=shop.headers).get_json()
    assert [d["kind"] for d in own["documents"]] == ["proof_of_address"]
    assert own["missing_documents"] == ["certificate_of_incorporation", "representative_id"]


def test_a_pdf_is_accepted(make_seller: Any, upload: Any) -> None:
    shop = make_seller("us", status="pending")

    answer = upload(shop.headers, "form_w9", PDF_BYTES, "w9.pdf", "application/pdf")

    assert answer.status_code == 201
    assert answer.get_json()["content_type"] == "application/pdf"


def test_the_magic_bytes_decide_the_type_not_the_name_or_the_client(make_seller: Any, upload: Any) -> None:
    shop = make_seller("us", status="pending")

    answer = upload(shop.headers, "government_id", JPEG_BYTES, "id.png", "image/png")

    assert answer.status_code == 201
    assert answer.get_json()["content_type"] == "image/jpeg"


def test_a_text_file_renamed_pdf_is_refused_naming_the_file(
    client: Any, make_seller: Any, upload: Any, var_dir: Path
) -> None:
    shop = make_seller("id", status="pending")

    answer = upload(shop.headers, "business_licence", b"<html>not a licence</html>", "licence.pdf", "application/pdf")

    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert list(answer.get_json()["errors"]) == ["file"]
    assert client.get("/api/v1/seller", headers=shop.headers).get_json()["documents"] == []
    assert not (var_dir / "uploads" / "id" / str(shop.id)).exists(), "nothing written for the shop"


def test_a_6_mib_file_is_refused_as_too_large(client: Any, make_seller: Any, upload: Any) -> None:
    shop = make_seller("id", status="pending")

    answer = upload(shop.headers, "business_licence", PNG_BYTES + b"\x00" * (6 * MIB))

    assert answer.status_code == 413
    assert list(answer.get_json()["errors"]) == ["file"]
    assert client.get("/api/v1/seller", headers=shop.headers).get_json()["documents"] == []


def test_one_byte_over_5_mib_is_refused_and_exactly_5_mib_accepted(make_seller: Any, upload: Any) -> None:
    shop = make_seller("id", status="pending")
    exactly = PNG_BYTES + b"\x00" * (5 * MIB - len(PNG_BYTES))

    over = upload(shop.headers, "tax_certificate", exactly + b"\x00")
    at_limit = upload(shop.headers, "tax_certificate", exactly)

    assert over.status_code == 413
    assert at_limit.status_code == 201 and at_limit.get_json()["size"] == 5 * MIB


def test_a_document_kind_the_plugin_does_not_ask_for_is_refused(make_seller: Any, upload: Any) -> None:
    shop = make_seller("uk", status="pending")

    answer = upload(shop.headers, "ein_confirmation_letter", PNG_BYTES)

    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["kind"]


def test_an_upload_without_a_file_is_refused_naming_it(client: Any, make_seller: Any) -> None:
    shop = make_seller("uk", status="pending")

    answer = client.post("/api/v1/seller/documents", data={"kind": "proof_of_address"}, headers=shop.headers,
                         content_type="multipart/form-data")

    assert answer.status_code == 422
    assert "file" in answer.get_json()["errors"]


def test_only_a_shop_uploads_documents(login: Any, upload: Any) -> None:
    _principal, headers = login("uk", "buyer")

    assert upload(headers, "proof_of_address", PNG_BYTES).status_code == 403


def test_an_operator_downloads_a_document_as_uploaded(
    client: Any, make_seller: Any, upload: Any, operator_headers: Any
) -> None:
    shop = make_seller("de", status="pending")
    document = upload(shop.headers, "commercial_register_extract", PDF_BYTES, "auszug.pdf").get_json()

    with client.get(f"/api/v1/operator/sellers/{shop.id}/documents/{document['id']}",
                    headers=operator_headers("de")) as answer:
        assert answer.status_code == 200
        assert answer.data == PDF_BYTES
        assert answer.mimetype == "application/pdf"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in answer.headers["Content-Disposition"]


def test_a_document_is_not_found_under_another_shop_or_tenant(
    client: Any, make_seller: Any, upload: Any, operator_headers: Any
) -> None:
    shop = make_seller("de", status="pending")
    other = make_seller("de", status="pending")
    document = upload(shop.headers, "proof_of_address", PNG_BYTES).get_json()

    under_other_shop = client.get(f"/api/v1/operator/sellers/{other.id}/documents/{document['id']}",
                                  headers=operator_headers("de"))
    under_other_tenant = client.get(f"/api/v1/operator/sellers/{shop.id}/documents/{document['id']}",
                                    headers=operator_headers("fr"))

    assert under_other_shop.status_code == 404
    assert under_other_tenant.status_code == 404
