"""Becoming a creator: the profile, the role, the payout account the provider accepts, followers."""
from __future__ import annotations

from typing import Any

from pasar.creators import service
from pasar.testing.catalog_factories import tenant_context


def profile_body(handle: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "handle": handle, "display_name": "Sam Styles", "bio": "Everyday looks",
        "categories": ["Fashion", "beauty", "fashion"], "countries": ["gb", "IE"],
        "bank_account": {"holder": "Sam Styles", "number": "31926819", "bank_code": "402715"},
    }
    body.update(overrides)
    return body


def test_a_buyer_becomes_a_creator_with_a_masked_payout_account(client: Any, login: Any) -> None:
    _, headers = login("uk", "buyer")
    made = client.post("/api/v1/creators", json=profile_body("sam.styles1"), headers=headers)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["handle"] == "sam.styles1" and body["follower_count"] == 0
    assert body["categories"] == ["fashion", "beauty"] and body["countries"] == ["GB", "IE"]
    assert body["bank_account"]["number"] == "•••• 6819"
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert "creator" in me["roles"] and me["creator_id"] == body["id"]
    own = client.get("/api/v1/creator", headers=headers)
    assert own.status_code == 200 and own.get_json()["id"] == body["id"]
    public = client.get(f"/api/v1/creators/{body['id']}", headers={"X-Pasar-Tenant": "uk"}).get_json()
    assert "bank_account" not in public and public["display_name"] == "Sam Styles"


def test_the_payout_provider_judges_the_bank_account(client: Any, login: Any) -> None:
    _, headers = login("uk", "buyer")
    body = profile_body("badbank1", bank_account={"holder": "Sam", "number": "12", "bank_code": "402715"})
    answer = client.post("/api/v1/creators", json=body, headers=headers)
    assert answer.status_code == 422
    assert any(key.startswith("bank_account") for key in answer.get_json()["errors"])


def test_a_bad_handle_and_fields_nobody_may_set_are_refused(client: Any, login: Any) -> None:
    _, headers = login("uk", "buyer")
    bad = client.post("/api/v1/creators", json=profile_body("-no"), headers=headers)
    assert bad.status_code == 422 and "handle" in bad.get_json()["errors"]
    forged = client.post("/api/v1/creators", json=profile_body("forger1", follower_count=10**6), headers=headers)
    assert forged.status_code == 422 and "follower_count" in forged.get_json()["errors"]


def test_one_profile_per_user_and_one_user_per_handle(client: Any, login: Any) -> None:
    _, first = login("uk", "buyer")
    _, second = login("uk", "buyer")
    assert client.post("/api/v1/creators", json=profile_body("unique.one"), headers=first).status_code == 201
    again = client.post("/api/v1/creators", json=profile_body("unique.two"), headers=first)
    assert again.status_code == 409
    taken = client.post("/api/v1/creators", json=profile_body("unique.one"), headers=second)
    assert taken.status_code == 409 and "handle" in taken.get_json()["errors"]


def test_where_affiliate_is_off_the_routes_do_not_exist(client: Any, login: Any) -> None:
    _, headers = login("nl", "buyer")
    answer = client.post("/api/v1/creators", json=profile_body("dutch1"), headers=headers)
    assert answer.status_code == 404
    assert "affiliate" in answer.get_json()["detail"]


def test_following_counts_once_and_unfollowing_gives_it_back(client: Any, login: Any, make_creator: Any) -> None:
    creator = make_creator("uk")
    _, fan = login("uk", "buyer")
    for _ in range(2):
        followed = client.post(f"/api/v1/creators/{creator.id}/follow", headers=fan)
        assert followed.status_code == 200 and followed.get_json()["follower_count"] == 1
    seen = client.get(f"/api/v1/creators/{creator.id}", headers=fan).get_json()
    assert seen["following"] is True
    gone = client.delete(f"/api/v1/creators/{creator.id}/follow", headers=fan)
    assert gone.get_json()["follower_count"] == 0 and gone.get_json()["following"] is False
    assert client.post("/api/v1/creators/999999/follow", headers=fan).status_code == 404


def test_creators_are_listed_by_category_and_country(client: Any, make_creator: Any) -> None:
    knitter = make_creator("uk", categories=("knitting-x",), countries=("GB",))
    make_creator("uk", categories=("cooking-x",), countries=("GB",))
    found = client.get("/api/v1/creators?category=knitting-x", headers={"X-Pasar-Tenant": "uk"}).get_json()
    assert [c["id"] for c in found] == [knitter.id]
    assert client.get("/api/v1/creators?category=knitting-x&country=IE",
                      headers={"X-Pasar-Tenant": "uk"}).get_json() == []


def test_a_creator_edits_its_public_profile(client: Any, make_creator: Any) -> None:
    creator = make_creator("uk")
    changed = client.patch("/api/v1/creator", json={"bio": "New bio", "countries": ["ie"]}, headers=creator.headers)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["bio"] == "New bio" and changed.get_json()["countries"] == ["IE"]


def test_the_payout_batch_finds_a_creators_account_and_nothing_else(app: Any, make_creator: Any) -> None:
    creator = make_creator("uk")
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        account = service.bank_account_for(session, tenant, "creator", creator.id)
        assert account is not None and account.number == "31926819" and account.country == "GB"
        assert service.bank_account_for(session, tenant, "seller", creator.id) is None
        assert service.bank_account_for(session, tenant, "creator", 10**9) is None


def test_a_creator_changes_its_payout_account_and_a_refused_one_changes_nothing(
    app: Any, client: Any, make_creator: Any
) -> None:
    creator = make_creator("uk")
    refused = client.put("/api/v1/creator/bank-account", json={"holder": "Sam", "number": "12", "bank_code": "402715"},
                         headers=creator.headers)
    assert refused.status_code == 422 and "number" in refused.get_json()["errors"], refused.get_json()
    assert client.get("/api/v1/creator", headers=creator.headers).get_json()["bank_account"]["number"] == "•••• 6819"
    changed = client.put("/api/v1/creator/bank-account", headers=creator.headers,
                         json={"holder": "Sam Styles", "number": "55779911", "bank_code": "402715"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["bank_account"] == {"holder": "Sam Styles", "number": "•••• 9911",
                                                  "bank_code": "402715", "country": "GB"}
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        account = service.bank_account_for(session, tenant, "creator", creator.id)
        assert account is not None and (account.number, account.holder) == ("55779911", "Sam Styles")


def test_only_a_creator_changes_a_creators_payout_account(client: Any, login: Any) -> None:
    _, buyer = login("uk", "buyer")
    body = {"holder": "Sam", "number": "55779911", "bank_code": "402715"}
    assert client.put("/api/v1/creator/bank-account", json=body, headers=buyer).status_code in (401, 403)
    assert client.put("/api/v1/creator/bank-account", json=body, headers={"X-Pasar-Tenant": "uk"}).status_code == 401
