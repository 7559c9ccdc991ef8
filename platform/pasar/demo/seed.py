"""``pasar demo seed``: put the demo content of ``pasar.demo.data`` into the stored tenants.

Everything goes through the domains' own services — ``add_user`` after the password rules,
``register_seller`` against the region plugin's KYC rules and the payout provider's account
check, ``upload_document``'s magic-byte check, the operator's ``approve``, the catalog's
``create_product``/``add_variant``/``add_product_image``/``update_product`` — so demo data is
exactly what real users clicking through the API would have produced, events included.

Where the tenant's features allow, the social side follows the same way: a creator
(``create_profile``) invited to promote two products and accepting (``publish_offer``,
``decide``) with a promotion link (``create_link``); three videos (two by shops, one by the
creator) approved by the operator (``post_video``, ``moderate_video``); the first shop's live
session started now with a pinned product (``create_live``, ``start_live``, ``pin``); a flash
deal (``create_deal``). Each part whose feature is off is skipped.

It is idempotent: each thing is looked up first (operator and users by email, shops by name,
categories by slug, products by SKU, the creator by handle, videos by caption, the live
session by title, the deal as a running flash deal on its variant), so a second run creates
nothing and says what it found.
Each tenant is seeded in one transaction: a failure leaves that tenant as it was.

The demo password is hashed once per run and the hash reused for every demo account: scrypt is
deliberately slow (≈50 ms a hash) and the password is published anyway.
"""
from __future__ import annotations

import io
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar import clock
from pasar.accounts.models import Operator, User
from pasar.accounts.passwords import check_rules, hash_password
from pasar.accounts.service import AccountsError, add_operator, add_user
from pasar.catalog import service as catalog
from pasar.catalog.images import ImageRejected, MediaStore, add_product_image, media_root
from pasar.catalog.models import Product, Variant
from pasar.config import Settings
from pasar.content import live as lives
from pasar.content import service as content
from pasar.content.errors import ContentError
from pasar.content.models import LiveSession, Video
from pasar.content.rules import Author
from pasar.contracts import PayoutProvider
from pasar.creators import service as creators
from pasar.creators.models import Collaboration, Creator, PromotionLink
from pasar.db import Database
from pasar.deals import service as deals
from pasar.deals.models import Deal
from pasar.demo.data import (
    CATEGORIES,
    COLLABORATION_DAYS,
    COLLABORATION_PRODUCTS,
    COLLABORATION_RATE,
    COLLABORATION_SHOP,
    DEAL_DAYS,
    DEAL_DISCOUNT,
    DEAL_PER_BUYER,
    DEAL_PRODUCT,
    DEAL_QUOTA,
    DEAL_SHOP,
    DEMO_PASSWORD,
    LIVE_PRODUCTS,
    LIVE_SHOP,
    OPERATOR_EMAIL,
    OPERATOR_NAME,
    SOCIAL,
    TENANTS,
    VIDEO_ANCHORS,
    ProductSeed,
    Shop,
    SocialDemo,
    TenantDemo,
    ascii_text,
    buyer_email,
    creator_email,
    seller_email,
    sku_part,
    video_media_url,
)
from pasar.plugins import PluginHost
from pasar.sellers import service as sellers
from pasar.sellers.models import Seller
from pasar.sellers.storage import DocumentStore, uploads_root
from pasar.shipping import service as shipping
from pasar.tenancy.service import TenantContext, context_for, list_tenants

IMAGE_SIDE = 800
#: Colour blocks of the generated product pictures (picked per product, stable across runs).
PALETTE: tuple[tuple[int, int, int], ...] = (
    (192, 57, 43), (41, 128, 185), (39, 174, 96), (142, 68, 173), (211, 84, 0),
    (22, 160, 133), (44, 62, 80), (243, 156, 18), (127, 140, 141), (176, 58, 46),
)


class DemoSeedError(Exception):
    """Seeding could not finish; the message names the tenant and what was refused."""


class UnknownDemoTenant(DemoSeedError):
    """A ``--tenant`` code that is not stored, or has no demo content."""


@dataclass
class TenantReport:
    """What seeding one tenant created and found, and where to look at it."""

    code: str
    hosts: tuple[str, ...]
    created: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    example_product_id: int | None = None
    creator: bool = False  # whether the tenant has a demo creator (its features allow one)


@dataclass(frozen=True)
class Shared:
    """What seeding every tenant uses: the reviewing operator, the demo password's hash (scrypt
    once per run), and where documents and pictures are stored."""

    operator_id: int
    password_hash: str
    documents: DocumentStore
    media: MediaStore


@dataclass
class SeedReport:
    operator_created: bool
    tenants: list[TenantReport]
    seconds: float


# --- entry point --------------------------------------------------------------------------------
def seed_demo(db: Database, settings: Settings, plugins: PluginHost, codes: Sequence[str] = ()) -> SeedReport:
    """Seed the tenants ``codes`` (default: every stored tenant with demo content)."""
    started = time.perf_counter()
    tenants = demo_tenants(db, plugins, codes)
    password_hash = hash_password(DEMO_PASSWORD)
    operator_id, operator_created = ensure_operator(db, password_hash)
    shared = Shared(operator_id, password_hash, DocumentStore(uploads_root(settings)), MediaStore(media_root(settings)))
    reports = []
    for tenant in tenants:
        payouts = sellers.payouts_for(db, settings, tenant)
        try:
            with db.session(tenant.id, write=True) as session:
                seeder = TenantSeeder(session, tenant, TENANTS[tenant.code], shared, payouts)
                seeder.run()
        except (AccountsError, sellers.SellerError, catalog.CatalogError, shipping.ShippingError, ImageRejected,
                creators.CreatorError, ContentError, deals.DealError) as exc:
            raise DemoSeedError(f"tenant {tenant.code!r}: {exc}; nothing of it was stored") from exc
        reports.append(seeder.report)
    return SeedReport(operator_created, reports, time.perf_counter() - started)


def demo_tenants(db: Database, plugins: PluginHost, codes: Sequence[str]) -> list[TenantContext]:
    """The stored tenants to seed, in code order; an unknown code is an error, not a skip."""
    with db.session(all_tenants=True) as session:
        stored = {tenant.code: context_for(tenant, plugins) for tenant in list_tenants(session)}
    wanted = list(dict.fromkeys(code.strip().lower() for code in codes)) or [c for c in stored if c in TENANTS]
    for code in wanted:
        if code not in stored:
            raise UnknownDemoTenant(f"no tenant {code!r} is stored (run `pasar tenants apply tenants/` first)")
        if code not in TENANTS:
            raise UnknownDemoTenant(f"there is no demo content for tenant {code!r}; demo tenants: {', '.join(TENANTS)}")
    return [stored[code] for code in sorted(wanted)]


def ensure_operator(db: Database, password_hash: str) -> tuple[int, bool]:
    """The demo operator's id (every tenant), and whether it was created now."""
    with db.session(write=True) as session:
        found = session.scalar(select(Operator.id).where(Operator.email == OPERATOR_EMAIL))
        if found is not None:
            return int(found), False
        check_rules(DEMO_PASSWORD, OPERATOR_EMAIL)
        operator = add_operator(session, email=OPERATOR_EMAIL, name=OPERATOR_NAME,
                                password_hash=password_hash, tenant_codes=["*"])
        return operator.id, True


# --- one tenant ---------------------------------------------------------------------------------
class TenantSeeder:
    """Seeds one tenant inside one session; counts what it created and what was there."""

    def __init__(self, session: Session, tenant: TenantContext, demo: TenantDemo, shared: Shared,
                 payouts: PayoutProvider) -> None:
        self.session, self.tenant, self.demo = session, tenant, demo
        self.shared, self.payouts = shared, payouts
        self.report = TenantReport(tenant.code, tuple(tenant.config.hosts))
        self.at = clock.now()  # the seed time: collaborations, the live and the deal start here

    def run(self) -> None:
        self.user(buyer_email(self.tenant.code), self.demo.buyer)
        categories = self.categories()
        shops = [self.shop(number, shop) for number, shop in enumerate(self.demo.shops, start=1)]
        products: list[list[int | None]] = [[] for _ in shops]
        for seed in self.demo.products:
            product_id = self.product(seed, shops[seed.shop], categories[seed.category])
            products[seed.shop].append(product_id)
            if self.report.example_product_id is None:
                self.report.example_product_id = product_id
        social = SOCIAL.get(self.tenant.code)
        if social is not None and all(s.status == "approved" for s in shops):
            SocialSeeder(self, social, shops, [[pid for pid in ids if pid is not None] for ids in products]).run()

    def count(self, kind: str, created: bool) -> None:
        (self.report.created if created else self.report.found)[kind] += 1

    # accounts
    def user(self, email: str, name: str) -> User:
        """A buyer account with the demo password (shop owners become sellers on registering)."""
        found = self.session.scalar(select(User).where(User.email == email))
        self.count("users", found is None)
        if found is not None:
            return found
        check_rules(DEMO_PASSWORD, email)
        return add_user(self.session, self.tenant, email=email, name=name,
                        password_hash=self.shared.password_hash, roles=("buyer",))

    # categories
    def categories(self) -> dict[str, int]:
        """Slug → id of the demo tree, named in each of the tenant's locales."""
        existing = {c.slug: c.id for c in catalog.list_categories(self.session, self.tenant)}
        ids: dict[str, int] = {}
        for position, (slug, (parent, names)) in enumerate(CATEGORIES.items()):
            self.count("categories", slug not in existing)
            if slug in existing:
                ids[slug] = existing[slug]
                continue
            localized = {locale: names[locale] for locale in self.tenant.config.locales if locale in names}
            ids[slug] = catalog.create_category(
                self.session, self.tenant, slug=slug, names=localized,
                parent_id=ids[parent] if parent else None, position=position,
            ).id
        return ids

    # shops
    def shop(self, number: int, shop: Shop) -> Seller:
        """The shop, registered by its owner, documents uploaded, approved by the operator."""
        seller = self.session.scalar(select(Seller).where(Seller.name == shop.name))
        self.count("sellers", seller is None)
        if seller is None:
            owner = self.user(seller_email(self.tenant.code, number), shop.owner)
            registration = sellers.Registration(name=shop.name, legal_name=shop.legal_name,
                                                business_type=shop.business_type, bank_account=shop.bank,
                                                kyc=shop.kyc)
            seller = sellers.register_seller(self.session, self.tenant, owner.id, registration, self.payouts)
        if seller.status == "pending":
            self.approve(seller, number)
        elif seller.status != "approved":
            self.report.notes.append(f"{shop.name} is {seller.status}: its products were left alone")
        self.ship_from(seller, shop)
        return seller

    def approve(self, seller: Seller, number: int) -> None:
        for kind in sellers.missing_documents(self.tenant, seller):
            pdf = kyc_pdf(self.tenant.code, kind, seller.legal_name or f"shop {number}")
            sellers.upload_document(self.session, self.tenant, seller.id, kind, f"{kind}.pdf", pdf, self.shared.documents)
            self.count("documents", True)
        sellers.approve(self.session, self.tenant, seller.id, self.shared.operator_id)
        self.count("approvals", True)

    def ship_from(self, seller: Seller, shop: Shop) -> None:
        found = shipping.seller_address(self.session, self.tenant, seller.id) is not None
        self.count("addresses", not found)
        if not found:
            values = {**shop.address, "name": shop.name, "country": self.tenant.country}
            shipping.set_seller_address(self.session, self.tenant, seller.id, values)

    # products
    def product(self, seed: ProductSeed, seller: Seller, category_id: int) -> int | None:
        """The product, found by its SKUs or created; then any missing variant, a picture if it
        has none, and listed if it is still a draft. Returns its id."""
        if seller.status != "approved":
            return None
        product = self._product_with_skus(seed)
        self.count("products", product is None)
        if product is None:
            product = catalog.create_product(
                self.session, self.tenant, seller.id, texts=self._texts(seed), category_id=category_id,
                tax_category=seed.tax_category, weight_grams=seed.parcel[0], length_cm=seed.parcel[1],
                width_cm=seed.parcel[2], height_cm=seed.parcel[3],
            )
        elif product.seller_id != seller.id:
            self.report.notes.append(f"SKU of {seed.key} belongs to another shop: left alone")
            return product.id
        self._variants(seed, product)
        if not product.images:
            picture = product_png(initials(seed.title(self.tenant.default_locale), seed.key), colour_for(seed.key))
            add_product_image(self.session, self.tenant, product, picture, self.shared.media)
            self.count("images", True)
        if product.status == "draft":
            catalog.update_product(self.session, self.tenant, product, status="active")
        return product.id

    def _product_with_skus(self, seed: ProductSeed) -> Product | None:
        skus = [variant.sku for variant in seed.variants]
        product_id = self.session.scalar(select(Variant.product_id).where(Variant.sku.in_(skus)).limit(1))
        return None if product_id is None else catalog.get_product(self.session, self.tenant, product_id)

    def _texts(self, seed: ProductSeed) -> dict[str, dict[str, str]]:
        """Only the tenant's locales: a tenant file that dropped a language still seeds."""
        return {locale: {"title": title, "description": description}
                for locale, (title, description) in seed.texts.items() if locale in self.tenant.config.locales}

    def _variants(self, seed: ProductSeed, product: Product) -> None:
        have = {variant.sku for variant in product.variants}
        for variant in seed.variants:
            self.count("variants", variant.sku not in have)
            if variant.sku not in have:
                catalog.add_variant(self.session, self.tenant, product, sku=variant.sku, price=variant.price,
                                    options=dict(variant.options), stock=variant.stock)


# --- social commerce ----------------------------------------------------------------------------
class SocialSeeder:
    """The creator, videos, live session and flash deal of one tenant, each part only where its
    feature is on; it counts into the tenant seeder's report."""

    def __init__(self, seeder: TenantSeeder, social: SocialDemo, shops: Sequence[Seller],
                 products: Sequence[Sequence[int]]) -> None:
        self.seeder, self.social, self.shops, self.products = seeder, social, shops, products
        self.session, self.tenant, self.at = seeder.session, seeder.tenant, seeder.at

    def run(self) -> None:
        creator = self.creator() if self.tenant.has_feature(creators.FEATURE) else None
        if self.tenant.has_feature("short_video"):
            self.videos(creator)
        if self.tenant.has_feature("live_shopping"):
            self.live()
        if self.tenant.has_feature(deals.FEATURE):
            self.deal()

    def count(self, kind: str, created: bool) -> None:
        """Counted into the tenant's report: the social part is part of the tenant's seed."""
        self.seeder.count(kind, created)

    def _shop_author(self, shop: int) -> Author:
        seller = self.shops[shop]
        return Author(kind="seller", user_id=seller.owner_user_id, seller_id=seller.id, creator_id=None)

    # the creator
    def creator(self) -> Creator:
        """The creator (found by handle), collaborating on two products, with a link to the first."""
        found = self.session.scalar(select(Creator).where(Creator.handle == self.social.creator_handle))
        self.count("creators", found is None)
        creator = found or self._new_creator()
        self.seeder.report.creator = True
        collaborated = [pid for pid in self._picked(COLLABORATION_SHOP, COLLABORATION_PRODUCTS)
                        if self.collaboration(creator, pid)]
        if collaborated:
            self.link(creator, collaborated[0])
        return creator

    def _new_creator(self) -> Creator:
        """A user with the demo password made a creator; the payout account is the second shop's
        number in the creator's name (the sandbox provider judges the number, not the holder)."""
        user = self.seeder.user(creator_email(self.tenant.code), self.social.creator_name)
        bank = replace(self.seeder.demo.shops[COLLABORATION_SHOP].bank, holder=self.social.creator_name)
        profile = creators.Profile(handle=self.social.creator_handle, display_name=self.social.creator_name,
                                   bank_account=bank, categories=("fashion", "beauty", "food"),
                                   countries=(self.tenant.country,))
        return creators.create_profile(self.session, self.tenant, user.id, profile, self.seeder.payouts, self.at)

    def collaboration(self, creator: Creator, product_id: int) -> bool:
        """An accepted invitation on the product (found if one is in force); whether it is."""
        if creators.active_collaboration(self.session, self.tenant, creator.id, product_id, self.at) is not None:
            self.count("collaborations", False)
            return True
        seller_id = self.shops[COLLABORATION_SHOP].id
        offer = creators.Offer(product_id=product_id, rate=Decimal(COLLABORATION_RATE),
                               starts_at=self.at - timedelta(minutes=1),
                               ends_at=self.at + timedelta(days=COLLABORATION_DAYS), creator_id=creator.id)
        row = creators.publish_offer(self.session, self.tenant, seller_id, offer, self.at)
        invitation = self.session.scalar(select(Collaboration.id).where(
            Collaboration.offer_id == row.id, Collaboration.creator_id == creator.id))
        if invitation is None:
            return False
        creators.decide(self.session, self.tenant, "accept", creator.id, int(invitation), self.at)
        self.count("collaborations", True)
        return True

    def link(self, creator: Creator, product_id: int) -> None:
        found = self.session.scalar(select(PromotionLink.id).where(
            PromotionLink.creator_id == creator.id, PromotionLink.product_id == product_id))
        self.count("links", found is None)
        if found is None:
            creators.create_link(self.session, self.tenant, creator.id, product_id, self.at)

    # videos
    def videos(self, creator: Creator | None) -> None:
        """Two shop videos and (with a creator) the creator's, each found by its caption."""
        posts: list[tuple[Author, list[int]]] = [
            (self._shop_author(shop), self._picked(shop, picks)) for shop, picks in VIDEO_ANCHORS]
        if creator is not None:
            author = Author(kind="creator", user_id=creator.user_id, seller_id=None, creator_id=creator.id)
            posts.append((author, self._picked(COLLABORATION_SHOP, COLLABORATION_PRODUCTS)))
        for number, ((author, product_ids), caption) in enumerate(zip(posts, self.social.captions), start=1):
            self.video(number, author, product_ids, caption)

    def video(self, number: int, author: Author, product_ids: list[int], caption: str) -> None:
        found = self.session.scalar(select(Video.id).where(Video.caption == caption).limit(1))
        self.count("videos", found is None)
        if found is not None:
            return
        video = content.post_video(self.session, self.tenant, author, media_url=video_media_url(self.tenant.code, number),
                                   language=self.tenant.default_locale, caption=caption,
                                   product_ids=product_ids, at=self.at)
        content.moderate_video(self.session, self.tenant, video.id, operator_id=self.seeder.shared.operator_id,
                               decision="approve", reason=None, at=self.at)

    # the live session
    def live(self) -> None:
        """The first shop's live session (found by title), started now, its first product pinned."""
        found = self.session.scalar(select(LiveSession).where(LiveSession.title == self.social.live_title).limit(1))
        self.count("lives", found is None)
        if found is not None:
            return
        author, product_ids = self._shop_author(LIVE_SHOP), self._picked(LIVE_SHOP, LIVE_PRODUCTS)
        live = lives.create_live(self.session, self.tenant, author, title=self.social.live_title,
                                 scheduled_at=self.at, product_ids=product_ids, at=self.at)
        lives.start_live(self.session, self.tenant, author, live.id, self.at)
        if product_ids:
            lives.pin(self.session, self.tenant, author, live.id, product_ids[0])

    # the flash deal
    def deal(self) -> None:
        """A week-long flash deal on one product's first variant at ``DEAL_DISCOUNT`` off its
        seeded price, unless a flash deal on that variant is still running."""
        seeds = [seed for seed in self.seeder.demo.products if seed.shop == DEAL_SHOP]
        if len(seeds) <= DEAL_PRODUCT:
            return
        sku = seeds[DEAL_PRODUCT].variants[0]
        variant = self.session.scalar(select(Variant).where(Variant.sku == sku.sku))
        if variant is None or variant.product.seller_id != self.shops[DEAL_SHOP].id:
            return
        running = self.session.scalar(select(Deal.id).where(
            Deal.variant_id == variant.id, Deal.kind == "flash", Deal.status == "active", Deal.ends_at > self.at))
        self.count("deals", running is None)
        if running is None:
            listed = Decimal(sku.price)
            price = str((listed * (1 - Decimal(DEAL_DISCOUNT))).quantize(listed))  # whole rupiah stay whole
            deals.create_deal(self.session, self.tenant, self.shops[DEAL_SHOP].id, variant_id=variant.id,
                              kind="flash", price=price, starts_at=self.at, ends_at=self.at + timedelta(days=DEAL_DAYS),
                              quota=DEAL_QUOTA, per_buyer_limit=DEAL_PER_BUYER, at=self.at)

    def _picked(self, shop: int, picks: Sequence[int]) -> list[int]:
        """The shop's products at the positions ``picks`` (those it has)."""
        return [self.products[shop][i] for i in picks if i < len(self.products[shop])]


# --- generated files ----------------------------------------------------------------------------
def kyc_pdf(tenant_code: str, kind: str, holder: str) -> bytes:
    """A one-page PDF saying it is a demo document: objects, cross-reference table and trailer
    written by hand (Helvetica needs no embedded font). Starts with ``%PDF-``, which is what the
    sellers' upload check looks for."""
    lines = ["Pasar demo - KYC document", f"Document: {kind.replace('_', ' ')}",
             f"Holder: {ascii_text(holder) or 'demo shop'}",
             f"Marketplace: {tenant_code}", "Generated sample for the demo. Not a real document."]
    text = " T* ".join(f"({_pdf_escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 14 Tf 20 TL 72 770 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def initials(title: str, key: str) -> str:
    """Two letters for the picture: from the title when it is in Latin script (accents
    dropped), else from the product key (a Thai title has no letters the font can draw)."""
    letters = [sku_part(word)[:1] for word in title.split()]
    letters = [letter for letter in letters if letter.isalpha()]
    if len(letters) < 2:
        letters = [part[:1].upper() for part in key.split("-") if part]
    return "".join(letters[:2])


def colour_for(key: str) -> tuple[int, int, int]:
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


def product_png(text: str, colour: tuple[int, int, int]) -> bytes:
    """An 800×800 PNG: a colour block on a warm white ground with ``text`` in white."""
    image = Image.new("RGB", (IMAGE_SIDE, IMAGE_SIDE), (250, 247, 242))
    draw = ImageDraw.Draw(image)
    margin = IMAGE_SIDE // 10
    draw.rounded_rectangle((margin, margin, IMAGE_SIDE - margin, IMAGE_SIDE - margin), radius=48, fill=colour)
    font = ImageFont.load_default(size=IMAGE_SIDE * 3 // 10)
    draw.text((IMAGE_SIDE / 2, IMAGE_SIDE / 2), text, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # the catalog re-encodes it anyway
    return out.getvalue()


# --- what the command prints --------------------------------------------------------------------
def report_lines(report: SeedReport, port: int) -> Iterable[str]:
    """The summary ``pasar demo seed`` prints: per tenant what was created and found, then the
    logins and a URL to start from."""
    yield f"operator {OPERATOR_EMAIL}: {'created' if report.operator_created else 'found'}"
    for tenant in report.tenants:
        yield f"{tenant.code:<3} created: {_counts(tenant.created)}"
        yield f"{'':<3} found:   {_counts(tenant.found)}"
        yield from (f"{'':<3} note: {note}" for note in tenant.notes)
    yield f"seeded {len(report.tenants)} tenant(s) in {report.seconds:.1f} s"
    yield ""
    yield f"Demo logins — password for every account: {DEMO_PASSWORD}"
    yield f"  operator (every tenant)  {OPERATOR_EMAIL}   POST /api/v1/operator/login"
    for tenant in report.tenants:
        yield (f"  {tenant.code:<3} buyer {buyer_email(tenant.code)}   shops "
               f"{seller_email(tenant.code, 1)} … seller3   POST /api/v1/auth/login")
        if tenant.creator:
            yield f"      creator {creator_email(tenant.code)}"
        if tenant.example_product_id is not None:
            host = tenant.hosts[0] if tenant.hosts else "127.0.0.1"
            yield f"      http://{host}:{port}/api/v1/products/{tenant.example_product_id}"
            yield f"      http://127.0.0.1:{port}/t/{tenant.code}/api/v1/products"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counter.items()) if count) or "nothing"
