"""The KYC review queue: pending shops with their documents; approve (the lifecycle hook fires,
as when the API approves) or reject with the reason the seller reads."""
from __future__ import annotations

from typing import Any

import pytest

from pasar.contracts import LifecycleEvent
from pasar.plugins import TenantHooks
from pasar.sellers import service as sellers
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sellers_factories import PNG_BYTES


def status_of(app: Any, code: str, seller_id: int) -> tuple[str, str | None]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        seller = sellers.get_seller(session, tenant, seller_id)
        return seller.status, seller.rejection_reason


@pytest.fixture()
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[LifecycleEvent]:
    """Lifecycle events the relay hands to the tenants' plugins (still calling them)."""
    seen: list[LifecycleEvent] = []
    real = TenantHooks.emit

    def record(self: TenantHooks, event: LifecycleEvent) -> None:
        seen.append(event)
        real(self, event)

    monkeypatch.setattr(TenantHooks, "emit", record)
    return seen


def test_the_queue_shows_pending_shops_with_their_documents(console: Any, make_seller: Any,
                                                             upload_documents: Any) -> None:
    ops = console(tenants=("id",))
    shop = make_seller("id", status="pending", name="Toko <Batik> & Co")
    document_ids = upload_documents(shop)
    approved = make_seller("id", status="approved")

    page = ops.get("/console/tenants/id/kyc")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-test="kyc-seller-{shop.id}"' in html and f'id="approve-{shop.id}"' in html
    assert "Toko &lt;Batik&gt; &amp; Co" in html
    assert f'data-test="kyc-seller-{approved.id}"' not in html
    for document_id in document_ids:
        assert f'data-test="kyc-document-{document_id}"' in html


def test_a_document_downloads_as_uploaded(console: Any, make_seller: Any, upload_documents: Any) -> None:
    ops = console(tenants=("th",))
    shop = make_seller("th", status="pending")
    first = upload_documents(shop)[0]
    kind = sellers.kyc_requirements(tenant_context(ops.client.application, "th")).documents[0]

    with ops.get(f"/console/tenants/th/kyc/{shop.id}/documents/{first}") as answer:
        assert answer.status_code == 200
        assert answer.data == PNG_BYTES + kind.encode()
        assert answer.headers["Content-Disposition"].startswith("attachment")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert ops.get(f"/console/tenants/th/kyc/{shop.id}/documents/999999999").status_code == 404


def test_approving_moves_the_shop_to_approved_and_fires_the_hook(
    app: Any, console: Any, make_seller: Any, upload_documents: Any, emitted: list[LifecycleEvent]
) -> None:
    ops = console(tenants=("id",))
    shop = make_seller("id", status="pending", name="Toko Kopi")
    upload_documents(shop)

    answer = ops.post(f"/console/tenants/id/kyc/{shop.id}/approve")

    assert answer.status_code == 302 and answer.headers["Location"] == "/console/tenants/id/kyc"
    assert status_of(app, "id", shop.id) == ("approved", None)
    [event] = [e for e in emitted if e.kind == "seller.approved" and e.subject_id == str(shop.id)]
    assert event.tenant == "id" and event.data["name"] == "Toko Kopi"
    assert event.data["reviewed_by"] == ops.operator.id  # type: ignore[union-attr]
    assert "Shop approved." in ops.get("/console/tenants/id/kyc").get_data(as_text=True)


def test_approval_waits_for_every_document(app: Any, console: Any, make_seller: Any,
                                           emitted: list[LifecycleEvent]) -> None:
    ops = console(tenants=("vn",))
    shop = make_seller("vn", status="pending")

    ops.post(f"/console/tenants/vn/kyc/{shop.id}/approve")

    assert status_of(app, "vn", shop.id) == ("pending", None)
    assert "Documents are missing" in ops.get("/console/tenants/vn/kyc").get_data(as_text=True)
    assert not [e for e in emitted if e.subject_id == str(shop.id)]


def test_rejecting_stores_the_reason_the_seller_reads(app: Any, console: Any, make_seller: Any) -> None:
    ops = console(tenants=("ph",))
    shop = make_seller("ph", status="pending")

    answer = ops.post(f"/console/tenants/ph/kyc/{shop.id}/reject", {"reason": "  The permit has expired. "})

    assert answer.status_code == 302
    assert status_of(app, "ph", shop.id) == ("rejected", "The permit has expired.")
    seller_view = app.test_client().get("/api/v1/seller", headers=shop.headers).get_json()
    assert seller_view["status"] == "rejected" and seller_view["rejection_reason"] == "The permit has expired."


def test_a_rejection_without_a_reason_changes_nothing(app: Any, console: Any, make_seller: Any) -> None:
    ops = console(tenants=("ph",))
    shop = make_seller("ph", status="pending")

    ops.post(f"/console/tenants/ph/kyc/{shop.id}/reject", {"reason": "   "})

    assert status_of(app, "ph", shop.id) == ("pending", None)
    assert "Give a reason" in ops.get("/console/tenants/ph/kyc").get_data(as_text=True)


def test_another_tenants_shop_is_not_found_through_this_tenants_queue(app: Any, console: Any,
                                                                     make_seller: Any) -> None:
    ops = console(tenants=("*",))
    shop = make_seller("uk", status="pending")

    answer = ops.post(f"/console/tenants/de/kyc/{shop.id}/reject", {"reason": "wrong tenant"})

    assert answer.status_code == 404
    assert status_of(app, "uk", shop.id) == ("pending", None)
