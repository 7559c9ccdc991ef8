"""`pasar demo seed`: a fresh marketplace someone can try at once, seeded through the domains'
services, idempotent, written in every language each tenant offers.

Seeding runs for two tenants (th, uk) through the command line as `make run` runs it, with nl
(every social feature off) in the same runs, plus one two-language tenant (us) through the
service; the content of all 14 tenants is checked
statically from ``pasar.demo.data`` so the suite stays fast.
"""
from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import Image
from sqlalchemy import func, select

from pasar.accounts.models import Operator, User
from pasar.catalog.models import Product, ProductImage, Variant
from pasar.cli import main
from pasar.content.models import LiveSession, Video
from pasar.contracts import TAX_CATEGORIES, BankAccount
from pasar.creators.models import Collaboration, Creator, PromotionLink
from pasar.creators.service import HANDLE_RE
from pasar.deals.models import Deal
from pasar.demo.data import (
    CATEGORIES,
    COLLABORATION_SHOP,
    DEMO_PASSWORD,
    OPERATOR_EMAIL,
    SOCIAL,
    STOCK_RANGE,
    TENANTS,
    buyer_email,
    creator_email,
    seller_email,
    video_media_url,
)
from pasar.demo.seed import initials, kyc_pdf, product_png, seed_demo
from pasar.sellers import service as sellers
from pasar.sellers.models import Seller
from pasar.sellers.storage import sniff_content_type
from pasar.shipping.service import seller_address
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.fixtures import REFERENCE_TENANTS

# The CLI builds apps of its own, which reconfigure Celery for the whole process.
pytestmark = pytest.mark.usefixtures("celery_restored")

SEEDED = ("th", "uk")
#: Seeded in the same runs: a tenant with every social feature off.
NO_SOCIAL = "nl"
#: What the social part makes per tenant: creator, collaborations, link, videos, live, deal.
SOCIAL_ROWS = {Creator: 1, Collaboration: 2, PromotionLink: 1, Video: 3, LiveSession: 1, Deal: 1}
#: Locales of each reference tenant, as its tenants/<code>.toml declares them.
LOCALES = {path.stem: tomllib.loads(path.read_text())["locales"] for path in REFERENCE_TENANTS.glob("*.toml")}


# --- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_app(make_app: Any) -> Any:
    return make_app()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-var")


@pytest.fixture(scope="module")
def pasar(demo_app: Any, var_dir: Path) -> Iterator[Any]:
    """Run `pasar ...` against the demo app's database, files under a temporary var/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PASAR_DATABASE_URL", demo_app.extensions["pasar.db"].url)
        patch.setenv("PASAR_VAR_DIR", str(var_dir))
        patch.setenv("PASAR_BROKER_URL", "memory://")
        yield lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def runs(pasar: Any) -> tuple[Result, Result]:
    """`pasar demo seed --tenant th --tenant uk --tenant nl`, twice."""
    args = ["demo", "seed", *(arg for code in (*SEEDED, NO_SOCIAL) for arg in ("--tenant", code))]
    return pasar(*args), pasar(*args)


@pytest.fixture()
def first(runs: tuple[Result, Result]) -> Result:
    assert runs[0].exit_code == 0, runs[0].output
    return runs[0]


@pytest.fixture()
def demo_client(demo_app: Any, first: Result) -> Any:
    return demo_app.test_client()


def count(demo_app: Any, code: str, model: Any) -> int:
    with demo_app.extensions["pasar.db"].session(tenant_context(demo_app, code).id) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def login(client: Any, email: str, code: str | None = None) -> Any:
    if code is None:
        return client.post("/api/v1/operator/login", json={"email": email, "password": DEMO_PASSWORD})
    return client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD},
                       headers={"X-Pasar-Tenant": code})


def listing(client: Any, code: str, lang: str | None = None) -> list[dict[str, Any]]:
    query = "?limit=100" + (f"&lang={lang}" if lang else "")
    response = client.get(f"/api/v1/products{query}", headers={"X-Pasar-Tenant": code})
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


# --- seeding through the command line -----------------------------------------------------------
def test_the_demo_operator_can_sign_in_and_acts_in_every_tenant(demo_app: Any, demo_client: Any) -> None:
    response = login(demo_client, OPERATOR_EMAIL)
    assert response.status_code == 200
    with demo_app.extensions["pasar.db"].session() as session:
        operator = session.scalar(select(Operator).where(Operator.email == OPERATOR_EMAIL))
    assert operator is not None and operator.tenant_codes == ["*"]


@pytest.mark.parametrize("code", SEEDED)
def test_each_seeded_tenant_has_a_buyer_who_can_sign_in(demo_client: Any, code: str) -> None:
    response = login(demo_client, buyer_email(code), code)
    assert response.status_code == 200
    me = demo_client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.get_json()['token']}",
                                           "X-Pasar-Tenant": code}).get_json()
    assert me["email"] == buyer_email(code) and me["roles"] == ["buyer"]


@pytest.mark.parametrize("code", SEEDED)
def test_each_seeded_tenant_has_three_approved_shops_with_documents_and_an_address(
    demo_app: Any, first: Result, code: str
) -> None:
    tenant = tenant_context(demo_app, code)
    with demo_app.extensions["pasar.db"].session(tenant.id) as session:
        shops, total = sellers.list_sellers(session, tenant)
        assert total == 3
        assert [s.name for s in shops] == [shop.name for shop in TENANTS[code].shops]
        assert {s.status for s in shops} == {"approved"}
        assert all(not sellers.missing_documents(tenant, s) for s in shops)
        assert all(seller_address(session, tenant, s.id) is not None for s in shops)


def test_a_shop_owner_signs_in_as_the_seller_of_their_shop(demo_app: Any, demo_client: Any) -> None:
    response = login(demo_client, seller_email("uk", 2), "uk")
    token = response.get_json()["token"]
    me = demo_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}", "X-Pasar-Tenant": "uk"}).get_json()
    tenant = tenant_context(demo_app, "uk")
    with demo_app.extensions["pasar.db"].session(tenant.id) as session:
        shop = session.scalar(select(Seller).where(Seller.id == me["seller_id"]))
    assert "seller" in me["roles"] and shop is not None and shop.name == TENANTS["uk"].shops[1].name


@pytest.mark.parametrize("code", SEEDED)
def test_the_products_are_listed_publicly_with_titles_in_the_tenants_language(demo_client: Any, code: str) -> None:
    locale = LOCALES[code][0]
    items = listing(demo_client, code, locale)
    assert sorted(item["title"] for item in items) == sorted(p.title(locale) for p in TENANTS[code].products)
    assert {item["locale"] for item in items} == {locale}
    assert all(item["in_stock"] and item["thumbnail_url"] for item in items)


def test_a_product_page_shows_its_variants_stock_and_generated_picture(demo_client: Any) -> None:
    seed = next(p for p in TENANTS["uk"].products if p.key == "oxford-shirt")
    item = next(i for i in listing(demo_client, "uk") if i["title"] == seed.title("en_GB"))
    detail = demo_client.get(f"/api/v1/products/{item['id']}", headers={"X-Pasar-Tenant": "uk"}).get_json()
    assert {v["sku"] for v in detail["variants"]} == {v.sku for v in seed.variants}
    assert {v["options"]["size"] for v in detail["variants"]} == {"S", "M", "L", "XL", "XXL"}
    assert all(STOCK_RANGE[0] <= v["available"] <= STOCK_RANGE[1] for v in detail["variants"])
    assert detail["tax_category"] == "clothing" and detail["price"] == "39.50"
    assert [(i["width"], i["height"], i["content_type"]) for i in detail["images"]] == [(800, 800, "image/png")]


def test_the_first_run_reports_what_it_created_and_prints_logins_and_urls(first: Result) -> None:
    assert f"operator {OPERATOR_EMAIL}: created" in first.output
    assert re.search(r"^th\s+created: .*12 products, 3 sellers, 5 users", first.output, re.M)
    assert re.search(r"^th\s+created: .*1 creators, 1 deals, .*1 links, 1 lives, .*3 videos$", first.output, re.M)
    assert DEMO_PASSWORD in first.output and buyer_email("th") in first.output
    assert creator_email("th") in first.output and creator_email(NO_SOCIAL) not in first.output
    assert re.search(r"http://uk\.localhost:5000/api/v1/products/\d+", first.output)


def test_a_second_run_creates_nothing_and_says_what_it_found(
    demo_app: Any, runs: tuple[Result, Result], first: Result
) -> None:
    second = runs[1]
    assert second.exit_code == 0, second.output
    assert f"operator {OPERATOR_EMAIL}: found" in second.output
    for code in (*SEEDED, NO_SOCIAL):
        assert re.search(rf"^{code}\s+created: nothing\n\s+found:\s+.*12 products, 3 sellers", second.output, re.M)
    for code in SEEDED:
        variants = sum(len(p.variants) for p in TENANTS[code].products)
        assert (count(demo_app, code, Product), count(demo_app, code, Variant)) == (12, variants)
        assert (count(demo_app, code, User), count(demo_app, code, Seller)) == (5, 3)
        assert count(demo_app, code, ProductImage) == 12
        assert {model: count(demo_app, code, model) for model in SOCIAL_ROWS} == SOCIAL_ROWS
    assert re.search(r"^th\s+created: nothing\n\s+found:\s+.*1 creators, 1 deals, .*3 videos$", second.output, re.M)


# --- the social side: creator, videos, live session, flash deal -----------------------------------
def test_the_creator_signs_in_with_the_demo_password_and_has_a_profile(demo_app: Any, demo_client: Any) -> None:
    response = login(demo_client, creator_email("th"), "th")
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.get_json()['token']}", "X-Pasar-Tenant": "th"}
    me = demo_client.get("/api/v1/me", headers=headers).get_json()
    assert "creator" in me["roles"]
    with demo_app.extensions["pasar.db"].session(tenant_context(demo_app, "th").id) as session:
        creator = session.scalar(select(Creator).where(Creator.user_id == me["id"]))
        links = session.scalars(select(PromotionLink)).all()
        collaborations = session.scalars(select(Collaboration)).all()
    assert creator is not None and (creator.handle, creator.display_name) == (
        SOCIAL["th"].creator_handle, SOCIAL["th"].creator_name)
    assert [c.status for c in collaborations] == ["active", "active"]
    assert [link.creator_id for link in links] == [creator.id]
    assert links[0].product_id in {c.product_id for c in collaborations}


def test_three_approved_videos_are_listed_with_their_products(demo_client: Any) -> None:
    response = demo_client.get("/api/v1/videos", headers={"X-Pasar-Tenant": "th"})
    assert response.status_code == 200
    videos = sorted(response.get_json(), key=lambda v: v["id"])
    assert [v["caption"] for v in videos] == list(SOCIAL["th"].captions)
    assert [v["author_kind"] for v in videos] == ["seller", "seller", "creator"]
    assert [v["media_url"] for v in videos] == [video_media_url("th", n) for n in (1, 2, 3)]
    assert all(v["moderation"] == "approved" and v["language"] == "th_TH" for v in videos)
    assert all(1 <= len(v["anchors"]) <= 3 for v in videos)


def test_the_first_shop_is_live_with_a_pinned_product_from_its_showcase(demo_client: Any) -> None:
    lives = demo_client.get("/api/v1/live", headers={"X-Pasar-Tenant": "th"}).get_json()
    assert [live["title"] for live in lives] == [SOCIAL["th"].live_title]
    live = demo_client.get(f"/api/v1/live/{lives[0]['id']}", headers={"X-Pasar-Tenant": "th"}).get_json()
    assert live["status"] == "live" and live["started_at"] is not None
    assert len(live["showcase"]) == 3
    assert live["pinned_product_id"] == live["showcase"][0]["product_id"]


def test_a_week_long_flash_deal_takes_a_fifth_off_one_product(demo_client: Any) -> None:
    response = demo_client.get("/api/v1/deals", headers={"X-Pasar-Tenant": "uk"})
    assert response.status_code == 200
    [deal] = response.get_json()
    assert (deal["kind"], deal["quota"], deal["per_buyer_limit"], deal["status"]) == ("flash", 10, 2, "active")
    assert Decimal(deal["price"]) == Decimal(deal["regular_price"]) * Decimal("0.8")
    starts, ends = (datetime.fromisoformat(deal[key]) for key in ("starts_at", "ends_at"))
    assert ends - starts == timedelta(days=7)


def test_a_tenant_with_the_social_features_off_gets_none_of_it(demo_app: Any, demo_client: Any) -> None:
    assert {model: count(demo_app, NO_SOCIAL, model) for model in SOCIAL_ROWS} == dict.fromkeys(SOCIAL_ROWS, 0)
    assert count(demo_app, NO_SOCIAL, User) == 4 and count(demo_app, NO_SOCIAL, Product) == 12
    for path in ("/api/v1/videos", "/api/v1/live", "/api/v1/deals"):
        assert demo_client.get(path, headers={"X-Pasar-Tenant": NO_SOCIAL}).status_code == 404


def test_a_tenant_not_asked_for_is_left_empty(demo_app: Any, first: Result) -> None:
    assert count(demo_app, "de", Product) == 0 and count(demo_app, "de", User) == 0


def test_an_unknown_tenant_code_is_refused_naming_the_option(pasar: Any) -> None:
    result = pasar("demo", "seed", "--tenant", "zz")
    assert result.exit_code == 2
    assert "--tenant" in result.output and "no tenant 'zz'" in result.output


# --- a two-language tenant, through the service ---------------------------------------------------
@pytest.fixture(scope="module")
def us_seeded(demo_app: Any, var_dir: Path) -> Any:
    settings = demo_app.config["PASAR"].with_overrides(
        {"extra": {"media_dir": str(var_dir / "media"), "uploads_dir": str(var_dir / "uploads")}})
    return seed_demo(demo_app.extensions["pasar.db"], settings, demo_app.extensions["pasar.plugins"], ["us"])


@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_a_two_language_tenant_lists_titles_in_the_language_asked_for(
    demo_app: Any, us_seeded: Any, locale: str
) -> None:
    items = listing(demo_app.test_client(), "us", locale)
    assert sorted(i["title"] for i in items) == sorted(p.title(locale) for p in TENANTS["us"].products)
    assert us_seeded.tenants[0].created["products"] == 12


# --- the content of all 14 tenants, without seeding ---------------------------------------------
def test_there_is_demo_content_for_every_reference_tenant() -> None:
    assert set(TENANTS) == set(LOCALES)
    assert all(len(demo.products) == 12 and len(demo.shops) == 3 for demo in TENANTS.values())


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_every_product_has_a_title_and_description_in_every_locale_of_its_tenant(code: str) -> None:
    for seed in TENANTS[code].products:
        assert set(seed.texts) == set(LOCALES[code]), seed.key
        assert all(title.strip() and len(title) <= 200 and len(text) > 40 for title, text in seed.texts.values())
    if len(LOCALES[code]) > 1:  # a second language is a translation, not a copy
        first, second = LOCALES[code][:2]
        assert all(seed.title(first) != seed.title(second) for seed in TENANTS[code].products)


def test_every_category_is_named_in_every_reference_locale() -> None:
    every_locale = {locale for locales in LOCALES.values() for locale in locales}
    for slug, (parent, names) in CATEGORIES.items():
        assert every_locale <= set(names), slug
        assert parent is None or parent in CATEGORIES
    assert {"fashion-women", "fashion-men", "fashion-kids", "beauty", "home", "books", "food", "electronics"} <= set(CATEGORIES)


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_skus_are_unique_and_stock_and_categories_fit(code: str) -> None:
    products = TENANTS[code].products
    skus = [v.sku for p in products for v in p.variants]
    assert len(skus) == len(set(skus)) and all(len(sku) <= 64 and sku.isascii() for sku in skus)
    assert all(STOCK_RANGE[0] <= v.stock <= STOCK_RANGE[1] for p in products for v in p.variants)
    assert {p.shop for p in products} == {0, 1, 2}
    assert all(p.category in CATEGORIES and p.tax_category in TAX_CATEGORIES for p in products)
    clothing = [p for p in products if p.category.startswith("fashion-")]
    assert all(len(p.variants) > 1 for p in clothing), "clothes come in sizes or colours"


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_tax_categories_follow_what_the_product_is(code: str) -> None:
    expected = {"fashion-kids": {"childrens_clothing"}, "fashion-women": {"clothing", "luxury"},
                "fashion-men": {"clothing"}, "books": {"books"}, "food": {"food"},
                "beauty": {"standard"}, "home": {"standard"}, "electronics": {"standard"}}
    for seed in TENANTS[code].products:
        assert seed.tax_category in expected[seed.category], seed.key


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_prices_look_local_whole_thousands_for_rupiah_and_dong_cents_elsewhere(code: str) -> None:
    prices = [v.price for p in TENANTS[code].products for v in p.variants]
    pattern = r"[1-9]\d*000" if code in ("id", "vn") else r"[1-9]\d*\.\d\d"
    assert all(re.fullmatch(pattern, price) for price in prices)


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_every_demo_shop_passes_its_countrys_kyc_and_bank_account_checks(app: Any, code: str) -> None:
    tenant = tenant_context(app, code)
    requirements = sellers.kyc_requirements(tenant)
    payouts = sellers.payouts_for(app.extensions["pasar.db"], app.config["PASAR"], tenant)
    for shop in TENANTS[code].shops:
        assert sellers.kyc_problems(requirements, shop.kyc) == {}, shop.name
        assert sellers.bank_problems(payouts, sellers.normalized_account(tenant, shop.bank), "") == {}, shop.name
        assert not shop.bank.number.endswith("0000")  # the sandbox's closed account


def test_there_is_social_content_for_every_reference_tenant_with_distinct_captions() -> None:
    assert set(SOCIAL) == set(TENANTS)
    for code, social in SOCIAL.items():
        assert HANDLE_RE.fullmatch(social.creator_handle), code
        assert social.creator_name.strip() and social.live_title.strip()
        assert len(set(social.captions)) == 3 and all(0 < len(c) <= 2200 for c in social.captions), code
    handles = [social.creator_handle for social in SOCIAL.values()]
    assert len(handles) == len(set(handles))


@pytest.mark.parametrize("code", sorted(TENANTS))
def test_every_demo_creator_gets_a_payout_account_the_provider_accepts(app: Any, code: str) -> None:
    tenant = tenant_context(app, code)
    payouts = sellers.payouts_for(app.extensions["pasar.db"], app.config["PASAR"], tenant)
    shop_bank = TENANTS[code].shops[COLLABORATION_SHOP].bank
    account = BankAccount(SOCIAL[code].creator_name, shop_bank.number, shop_bank.bank_code, shop_bank.country)
    assert sellers.bank_problems(payouts, sellers.normalized_account(tenant, account), "") == {}


# --- generated files ----------------------------------------------------------------------------
def test_the_kyc_document_is_a_pdf_whose_cross_reference_table_is_right() -> None:
    pdf = kyc_pdf("th", "company_affidavit", "บริษัท ผ้าไหมสยาม จำกัด")
    assert sniff_content_type(pdf) == "application/pdf"
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:8]]
    assert [pdf[o:].split(b"\n", 1)[0] for o in offsets] == [b"%d 0 obj" % n for n in range(1, 6)]


def test_the_product_picture_is_an_800_pixel_square_png() -> None:
    picture = Image.open(io.BytesIO(product_png("DB", (41, 128, 185))))
    assert (picture.format, picture.size) == ("PNG", (800, 800))
    assert picture.getpixel((400, 150)) == (41, 128, 185)


@pytest.mark.parametrize(("title", "key", "expected"), [
    ("Dress Batik Parang Lengan Pendek", "batik-dress", "DB"),
    ("Đầm suông linen cổ tròn", "linen-dress", "DS"),
    ("ผ้าถุงไหมมัดหมี่ทอมือ ปักธงชัย", "mudmee-sarong", "MS"),
])
def test_picture_initials_come_from_a_latin_title_or_else_the_key(title: str, key: str, expected: str) -> None:
    assert initials(title, key) == expected
