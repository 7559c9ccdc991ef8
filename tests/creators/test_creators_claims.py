"""Clicks on creators' links made while signed out are credited once the buyer signs in: on the
web through a signed cookie of the tenant, in apps through a claim token posted after sign-in.
Only what this tenant signed counts, expired clicks credit nothing, and claiming twice credits
once."""
from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from pasar import clock
from pasar.creators import claims
from pasar.creators.commission import affiliate_shares, line_net
from pasar.creators.models import PromotionClick
from pasar.orders.models import Checkout, Order
from pasar.orders.service import rounder
from pasar.pages import PROMOTION_COOKIE
from pasar.testing.accounts_factories import DEFAULT_PASSWORD
from pasar.testing.buying_factories import Shopper
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.pages_factories import WebClient


def link_code(client: Any, creator: Any, product: Any) -> str:
    made = client.post("/api/v1/creator/links", json={"product_id": product.id}, headers=creator.headers)
    assert made.status_code == 201, made.get_json()
    return str(made.get_json()["code"])


def promoted(client: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
             code: str, price: str = "100") -> tuple[Any, Any, str]:
    """A product of a new shop, a creator collaborating on it at 10 %, and the creator's link."""
    seller = make_seller(code)
    product, creator = make_product(seller, price=price), make_creator(code)
    collaborate(seller, product, creator, rate="0.10")
    return product, creator, link_code(client, creator, product)


def clicks_of(app: Any, code: str, buyer_id: int) -> list[PromotionClick]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = list(session.scalars(select(PromotionClick).where(PromotionClick.buyer_id == buyer_id)))
        session.expunge_all()
        return found


def cookie_of(browser: WebClient) -> str | None:
    found = browser.client.get_cookie(f"{PROMOTION_COOKIE}_{browser.tenant}", path=f"/t/{browser.tenant}")
    return None if found is None else str(found.value)


def plant_cookie(browser: WebClient, value: str, tenant: str | None = None) -> None:
    code = tenant or browser.tenant
    browser.client.set_cookie(f"{PROMOTION_COOKIE}_{code}", value, path=f"/t/{code}")


def land(browser: WebClient, link: str, product: Any) -> None:
    """A signed-out visitor opens the link: the product page, and the click kept in the cookie."""
    landed = browser.get(f"/r/{link}")
    assert landed.status_code == 302 and landed.headers["Location"].endswith(f"/t/{browser.tenant}/p/{product.id}")
    assert cookie_of(browser)


def test_a_signed_out_click_is_credited_after_sign_in_and_the_purchase_earns_the_creator_commission(
    app: Any, client: Any, web: Any, make_user: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    product, creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    browser = web("th")
    land(browser, link, product)
    user = make_user("th", "buyer")
    browser.sign_in(user.email)
    assert cookie_of(browser) is None  # claimed, then cleared
    [click] = clicks_of(app, "th", user.id)
    assert (click.creator_id, click.product_id, click.source_kind) == (creator.id, product.id, "link")

    buyer = Shopper(browser, user, tenant_context(app, "th").country)
    buyer.add(product)
    assert buyer.place("cod").status_code == 200
    tenant = tenant_context(app, "th")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        checkout = session.scalar(select(Checkout).where(Checkout.buyer_id == user.id))
        assert checkout is not None
        order = session.scalar(select(Order).where(Order.checkout_id == checkout.id))
        assert order is not None and order.lines[0].creator_id == creator.id and order.source_kind == "link"
        shares = affiliate_shares(session, tenant, order, rounder(tenant))
        assert shares == [(creator.id, rounder(tenant)(line_net(order, order.lines[0]) * Fraction(1, 10)))]
        assert shares[0][1] > 0


def test_a_signed_in_buyer_opening_a_link_is_credited_at_once_without_a_cookie(
    app: Any, client: Any, shopper: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
) -> None:
    product, creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    buyer = shopper("th")
    landed = buyer.browser.get(f"/r/{link}")
    assert landed.status_code == 302 and landed.headers["Location"].endswith(f"/t/th/p/{product.id}")
    assert cookie_of(buyer.browser) is None
    assert [(c.creator_id, c.source_kind) for c in clicks_of(app, "th", buyer.user.id)] == [(creator.id, "link")]
    assert buyer.browser.get("/r/nosuchcode").status_code == 404


def test_registering_after_a_signed_out_click_credits_it_too(
    app: Any, client: Any, web: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
) -> None:
    product, creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    browser = web("th")
    land(browser, link, product)
    email = f"newbuyer{product.id}@th.example"
    registered = browser.post("/register", {"name": "Somchai", "email": email, "password": DEFAULT_PASSWORD})
    assert registered.status_code == 302 and cookie_of(browser) is None
    tenant = tenant_context(app, "th")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        clicks = list(session.scalars(select(PromotionClick).where(PromotionClick.product_id == product.id)))
    assert [(c.creator_id, c.source_kind) for c in clicks] == [(creator.id, "link")]


def test_a_tampered_cookie_is_ignored(app: Any, client: Any, web: Any, make_user: Any, make_seller: Any,
                                      make_product: Any, make_creator: Any, collaborate: Any) -> None:
    product, _creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    browser = web("th")
    land(browser, link, product)
    genuine = cookie_of(browser)
    assert genuine is not None
    plant_cookie(browser, genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"))
    user = make_user("th", "buyer")
    browser.sign_in(user.email)
    assert clicks_of(app, "th", user.id) == []
    assert cookie_of(browser) is None  # a worthless cookie is dropped too

    unsigned = web("th")
    link_id = clicks_of_link_id(app, "th", link)
    plant_cookie(unsigned, f'{{"t": {tenant_context(app, "th").id}, "c": [[{link_id}, 1]]}}')
    other = make_user("th", "buyer")
    unsigned.sign_in(other.email)
    assert clicks_of(app, "th", other.id) == []


def clicks_of_link_id(app: Any, code: str, link: str) -> int:
    from pasar.creators.models import PromotionLink

    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = session.scalar(select(PromotionLink.id).where(PromotionLink.code == link))
    assert found is not None
    return int(found)


def test_a_click_older_than_the_attribution_window_is_not_credited(
    app: Any, client: Any, web: Any, make_user: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any, time_travel: Any,
) -> None:
    product, _creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    browser = web("th")
    land(browser, link, product)
    time_travel(timedelta(days=8))  # the window is 7 days; the browser still sends the cookie
    user = make_user("th", "buyer")
    browser.sign_in(user.email)
    assert clicks_of(app, "th", user.id) == []


def test_claiming_the_same_click_twice_records_it_once(
    app: Any, client: Any, web: Any, make_user: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    product, _creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    browser = web("th")
    land(browser, link, product)
    replayed = cookie_of(browser)
    assert replayed is not None
    user = make_user("th", "buyer")
    browser.sign_in(user.email)
    assert browser.post("/signout").status_code == 302
    plant_cookie(browser, replayed)  # the same cookie again, e.g. from a copy of the browser
    browser.sign_in(user.email)
    assert len(clicks_of(app, "th", user.id)) == 1

    tenant = tenant_context(app, "th")
    signer = claims.ClaimSigner(app.secret_key, tenant, "cookie")
    pending = signer.loads(replayed)
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        again = claims.claim(session, tenant, user.id, pending, clock.now())
    assert [found.outcome for found in again] == [claims.ALREADY_CREDITED]
    assert len(clicks_of(app, "th", user.id)) == 1


def test_another_tenants_cookie_is_ignored(
    app: Any, client: Any, web: Any, make_user: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    product, _creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "th")
    thai = web("th")
    land(thai, link, product)
    thai_cookie = cookie_of(thai)
    assert thai_cookie is not None

    vietnamese = web("vn")
    plant_cookie(vietnamese, thai_cookie)  # th's signed value under vn's cookie
    user = make_user("vn", "buyer")
    vietnamese.sign_in(user.email)
    assert clicks_of(app, "vn", user.id) == []

    # Even signed for vn, a th link's id names nothing in vn.
    vn = tenant_context(app, "vn")
    forged = claims.ClaimSigner(app.secret_key, vn, "cookie").dumps(
        [claims.PendingClick.of(clicks_of_link_id(app, "th", link), clock.now())])
    with app.extensions["pasar.db"].session(vn.id, write=True) as session:
        outcomes = claims.claim(session, vn, user.id, claims.ClaimSigner(app.secret_key, vn).loads(forged),
                                clock.now())
    assert [found.outcome for found in outcomes] == [claims.UNKNOWN_LINK]
    assert clicks_of(app, "vn", user.id) == []


def test_the_cookie_keeps_a_bounded_list_of_recent_clicks_one_per_link(app: Any) -> None:
    tenant = tenant_context(app, "th")
    now = clock.now()
    old = claims.PendingClick.of(1, now - timedelta(days=8))
    same_link = [claims.PendingClick.of(2, now - timedelta(hours=2)), claims.PendingClick.of(2, now - timedelta(hours=1))]
    many = [claims.PendingClick.of(100 + n, now - timedelta(minutes=n)) for n in range(1, 40)]
    kept = claims.remembered(tenant, [old, *same_link, *many], claims.PendingClick.of(3, now), now)
    assert len(kept) == claims.MAX_PENDING and kept[-1].link_id == 3
    assert old not in kept and same_link[0] not in kept
    assert kept == sorted(kept)
    signer = claims.ClaimSigner(app.secret_key, tenant, "cookie")
    assert signer.loads(signer.dumps(kept)) == kept  # exact to the microsecond


def test_an_app_claims_a_signed_out_click_with_its_token_and_the_purchase_credits_the_creator(
    app: Any, client: Any, login: Any, commerce: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    product, creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "uk",
                                      price="20.00")
    signed_out = {"X-Pasar-Tenant": "uk"}
    tapped = client.post(f"/api/v1/r/{link}", headers=signed_out)
    assert tapped.status_code == 200
    body = tapped.get_json()
    assert body["product_id"] == product.id and body["claim_token"] and body["claim_expires_at"]
    redirected = client.get(f"/api/v1/r/{link}", headers=signed_out)
    assert redirected.status_code == 302 and redirected.headers["Pasar-Claim-Token"]

    buyer, headers = login("uk", "buyer")
    assert client.post(f"/api/v1/r/{link}", headers=headers).get_json()["claim_token"] is None
    claimed = client.post("/api/v1/me/promotion-claims", json={"claim_tokens": [body["claim_token"]]}, headers=headers)
    assert claimed.status_code == 200, claimed.get_json()
    assert claimed.get_json()["credited"] == 1
    assert [(c["outcome"], c["creator_id"], c["product_id"]) for c in claimed.get_json()["clicks"]] == [
        ("credited", creator.id, product.id)]
    twice = client.post("/api/v1/me/promotion-claims", json={"claim_tokens": [body["claim_token"]]}, headers=headers)
    assert twice.get_json()["credited"] == 0 and twice.get_json()["clicks"][0]["outcome"] == "already_credited"
    assert len(clicks_of(app, "uk", buyer.id)) == 2  # the signed-in tap and the claimed one

    placed = commerce.place_order(headers, product, method="card")
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        order = session.get(Order, placed.order_ids[0])
        assert order is not None and order.lines[0].creator_id == creator.id
        assert affiliate_shares(session, tenant, order, rounder(tenant))[0][0] == creator.id


def test_a_claim_token_not_signed_by_this_marketplace_is_refused_naming_it(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
) -> None:
    _product, _creator, link = promoted(client, make_seller, make_product, make_creator, collaborate, "uk")
    token = client.post(f"/api/v1/r/{link}", headers={"X-Pasar-Tenant": "uk"}).get_json()["claim_token"]
    uk = tenant_context(app, "uk")
    as_cookie = claims.ClaimSigner(app.secret_key, uk, "cookie").dumps(claims.ClaimSigner(app.secret_key, uk, "token").loads(token))
    buyer, headers = login("uk", "buyer")
    refused = client.post("/api/v1/me/promotion-claims", headers=headers,
                          json={"claim_tokens": [token, token[:-3] + "xyz", as_cookie]})
    assert refused.status_code == 422
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert set(refused.get_json()["errors"]) == {"claim_tokens.1", "claim_tokens.2"}
    assert clicks_of(app, "uk", buyer.id) == []  # nothing claimed from a refused request

    _user, de_headers = login("de", "buyer")
    elsewhere = client.post("/api/v1/me/promotion-claims", json={"claim_tokens": [token]}, headers=de_headers)
    assert elsewhere.status_code == 422 and "claim_tokens.0" in elsewhere.get_json()["errors"]
    empty = client.post("/api/v1/me/promotion-claims", json={"claim_tokens": []}, headers=headers)
    assert empty.status_code == 422 and "claim_tokens" in empty.get_json()["errors"]
    signed_out = client.post("/api/v1/me/promotion-claims", json={"claim_tokens": [token]},
                             headers={"X-Pasar-Tenant": "uk"})
    assert signed_out.status_code == 401


def test_the_claim_endpoints_are_in_the_openapi_document(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    claim = document["paths"]["/api/v1/me/promotion-claims"]["post"]
    assert "422" in claim["responses"] and "200" in claim["responses"]
    assert "claim_tokens" in document["components"]["schemas"]["PromotionClaimIn"]["properties"]
    follow = document["paths"]["/api/v1/r/{code}"]
    assert "Pasar-Claim-Token" in follow["get"]["responses"]["302"]["headers"]
    assert "claim_token" in document["components"]["schemas"]["LinkClick"]["properties"]
