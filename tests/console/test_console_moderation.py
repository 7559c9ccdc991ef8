"""Moderation from the console: pending videos approved or rejected, products hidden with a
reason and listed again — through the content and catalog services the API uses."""
from __future__ import annotations

from typing import Any

from pasar.catalog.models import Product
from pasar.content.models import Video
from pasar.testing.accounts_factories import tenant_context


def row(app: Any, code: str, model: Any, ident: int) -> Any:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = session.get(model, ident)
        session.expunge_all()
        return found


def test_a_pending_video_is_listed_and_approved(app: Any, console: Any, make_seller: Any,
                                                make_product: Any, make_video: Any) -> None:
    ops = console(tenants=("th",))
    shop = make_seller("th")
    video = make_video(shop, [make_product(shop)], moderation="pending", caption="<b>unboxing</b>")

    page = ops.get("/console/tenants/th/moderation").get_data(as_text=True)
    assert f'data-test="video-{video.id}"' in page and "&lt;b&gt;unboxing&lt;/b&gt;" in page

    ops.post(f"/console/tenants/th/moderation/videos/{video.id}", {"decision": "approve"})

    stored = row(app, "th", Video, video.id)
    assert stored.moderation == "approved" and stored.moderated_by == ops.operator.id
    assert f'data-test="video-{video.id}"' not in ops.get("/console/tenants/th/moderation").get_data(as_text=True)


def test_a_video_is_rejected_only_with_a_reason(app: Any, console: Any, make_seller: Any,
                                                make_video: Any) -> None:
    ops = console(tenants=("th",))
    video = make_video(make_seller("th"), moderation="pending")

    ops.post(f"/console/tenants/th/moderation/videos/{video.id}", {"decision": "reject", "reason": ""})
    assert row(app, "th", Video, video.id).moderation == "pending"

    ops.post(f"/console/tenants/th/moderation/videos/{video.id}", {"decision": "reject", "reason": "Misleading"})
    stored = row(app, "th", Video, video.id)
    assert (stored.moderation, stored.moderation_reason) == ("rejected", "Misleading")


def test_a_product_is_hidden_with_a_reason_and_listed_again(app: Any, console: Any, make_seller: Any,
                                                            make_product: Any) -> None:
    ops = console(tenants=("my",))
    product = make_product(make_seller("my"))
    base = f"/console/tenants/my/moderation/products/{product.id}"
    assert f'data-test="listed-product-{product.id}"' in ops.get("/console/tenants/my/moderation").get_data(as_text=True)

    ops.post(f"{base}/block", {"reason": ""})
    assert row(app, "my", Product, product.id).moderation == "approved"

    ops.post(f"{base}/block", {"reason": "Counterfeit"})
    hidden = row(app, "my", Product, product.id)
    assert (hidden.moderation, hidden.moderation_reason) == ("blocked", "Counterfeit")
    page = ops.get("/console/tenants/my/moderation").get_data(as_text=True)
    assert f'data-test="blocked-product-{product.id}"' in page and "Counterfeit" in page
    assert app.test_client().get(f"/api/v1/products/{product.id}",
                                 headers={"X-Pasar-Tenant": "my"}).status_code == 404

    ops.post(f"{base}/unblock")
    assert row(app, "my", Product, product.id).moderation == "approved"


def test_another_tenants_video_or_product_is_not_found(app: Any, console: Any, make_seller: Any,
                                                       make_product: Any, make_video: Any) -> None:
    ops = console(tenants=("*",))
    shop = make_seller("sg")
    product, video = make_product(shop), make_video(shop, moderation="pending")

    assert ops.post(f"/console/tenants/uk/moderation/videos/{video.id}", {"decision": "approve"}).status_code == 404
    assert ops.post(f"/console/tenants/uk/moderation/products/{product.id}/block",
                    {"reason": "x"}).status_code == 404
    assert row(app, "sg", Video, video.id).moderation == "pending"
    assert row(app, "sg", Product, product.id).moderation == "approved"
