"""The typed values that cross the plugin boundary.

Hooks answer with these frozen dataclasses and provider protocols, never with ORM objects:
a plugin must not depend on the kernel's tables, and the kernel must be able to cache,
compare and serialise what a plugin says. Amounts that cross the boundary are
``decimal.Decimal`` in major units plus an ISO 4217 code (``Decimal("1234.50")``, ``"EUR"``);
the kernel converts to integer minor units for storage (see ``pasar.money``).

Every regional fact carries ``source``: the IDs of ``shared/REGIONS.md`` it comes from, so an
operator can trace any rate, limit or rule back to where it was found.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable

# ---------------------------------------------------------------------------------------------
# Vocabularies the kernel owns and every plugin maps onto.
# ---------------------------------------------------------------------------------------------

#: Product tax categories. A plugin must answer a tax quote for every one of them.
TAX_CATEGORIES: tuple[str, ...] = (
    "standard",
    "books",
    "food",
    "childrens_clothing",
    "clothing",
    "medicine",
    "digital",
    "luxury",
)

#: Feature switches. A plugin gives defaults per country; a tenant may narrow, never widen.
FEATURES: tuple[str, ...] = (
    "short_video",  # product-linked short videos in the feed
    "live_shopping",  # live streams with a product showcase
    "shopping_tab",  # the category/deals/search tab
    "affiliate",  # creators earn commission on other sellers' products
    "ads",  # seller campaigns in the feed
    "cash_on_delivery",
    "social_checkout",  # checkout inside the social surfaces (ID: licensed marketplace only)
    "flash_sales",
)

#: What kind of instrument a payment method is; drives the checkout UI and the flow.
PAYMENT_KINDS: tuple[str, ...] = (
    "card",
    "wallet",
    "qr",
    "bank_redirect",
    "bank_transfer",
    "virtual_account",
    "direct_debit",
    "bnpl",
    "cod",
    "otc",
    "invoice",
)

#: How a payment reaches a final state. ``redirect``: the buyer approves on the provider's page;
#: ``async``: the provider confirms later by webhook (virtual accounts, QR, direct debit);
#: ``direct``: an authorisation answers at once, the capture is still confirmed by webhook;
#: ``on_delivery``: cash collected by the carrier.
PaymentFlow = Literal["redirect", "async", "direct", "on_delivery"]

PriceDisplay = Literal["inclusive", "exclusive"]

# ---------------------------------------------------------------------------------------------
# Region
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryInfo:
    """One country a region plugin serves."""

    code: str  # ISO 3166-1 alpha-2, upper case
    name: str
    currency: str  # ISO 4217
    locales: tuple[str, ...]  # babel ids, e.g. ("th_TH",); the first is the default
    timezones: tuple[str, ...]  # IANA names; the first is the default
    subdivisions: tuple[str, ...] = ()  # e.g. US state codes the plugin has tax data for


@dataclass(frozen=True)
class RegionInfo:
    """What a region plugin is for: its name and the countries it serves."""

    plugin: str
    title: str
    countries: tuple[CountryInfo, ...]

    def country(self, code: str) -> CountryInfo | None:
        return next((c for c in self.countries if c.code == code), None)


@dataclass(frozen=True)
class CurrencyRules:
    """How a currency is stored, rounded and shown in one country.

    ``iso_minor_units`` is the storage exponent (ISO 4217: IDR 2, VND 0) so amounts from any
    source stay exact; ``display_minor_units`` is what people see and pay in practice (IDR 0).
    Amounts a buyer pays are rounded to ``display_minor_units`` with ``rounding``.
    ``cash_increment`` (in minor units, e.g. 5 for MYR's 5 sen) applies to the *total of a
    cash payment only* and rounds with ``cash_rounding``; card and online totals stay exact.
    """

    currency: str
    iso_minor_units: int
    display_minor_units: int
    rounding: str = "ROUND_HALF_UP"  # a name from the decimal module
    cash_increment: int = 0
    cash_rounding: str = "ROUND_HALF_UP"
    format_pattern: str | None = None  # babel pattern when CLDR's differs from practice
    source: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Tax
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxLineInput:
    """One basket line as the tax engine sees it. ``unit_price`` is the price as displayed
    (tax included where the country displays inclusive prices)."""

    ref: str
    category: str
    unit_price: Decimal
    quantity: int = 1


@dataclass(frozen=True)
class TaxContext:
    """Everything a tax engine may look at for one basket from one seller."""

    country: str
    currency: str
    on: date
    lines: tuple[TaxLineInput, ...]
    subdivision: str | None = None  # US state
    city: str | None = None
    seller_country: str | None = None  # None: the seller is established in ``country``
    ships_from: str | None = None  # None: from inside ``country``
    buyer_is_business: bool = False


@dataclass(frozen=True)
class TaxComponent:
    """One tax inside a line's total (e.g. state and city sales tax)."""

    name: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class LineTax:
    ref: str
    tax: Decimal  # tax for the whole line, rounded to the currency's display precision
    rate: Decimal  # effective rate on the displayed price (ID: 0.11 from 12% × 11/12)
    taxable_base: Decimal
    rule: str  # human-readable rule, e.g. "DE USt ermäßigt 7% (books)"
    source: tuple[str, ...]
    components: tuple[TaxComponent, ...] = ()


@dataclass(frozen=True)
class TaxQuote:
    """The answer to ``pasar_tax_quote``.

    ``inclusive``: the line prices already contain ``tax`` (SEA/UK/EU); otherwise the tax is
    added at checkout (US). ``collected_by`` says who owes it: ``"marketplace"`` when a deemed
    supplier / marketplace-facilitator rule moves the liability to the platform.
    """

    currency: str
    inclusive: bool
    lines: tuple[LineTax, ...]
    collected_by: Literal["seller", "marketplace"] = "seller"
    marketplace_rule: str | None = None
    rounding: Literal["line", "unit"] = "line"

    @property
    def total(self) -> Decimal:
        return sum((line.tax for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class WithholdingContext:
    """A seller's turnover on which a marketplace may have to withhold income tax."""

    country: str
    currency: str
    on: date
    gross: Decimal  # the seller's gross turnover in this settlement, tax excluded
    seller_kind: Literal["business", "household", "individual"] = "business"
    annual_turnover: Decimal = Decimal(0)  # the seller's turnover on the platform this year
    exemption_statement: bool = False  # the seller filed the statement a threshold needs
    seller_resident: bool = True


@dataclass(frozen=True)
class Withholding:
    name: str
    rate: Decimal  # effective rate on ``gross``
    amount: Decimal
    rule: str
    source: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentMethod:
    """A payment method a plugin offers, with the limits checkout enforces."""

    code: str  # stable identifier used in tenant files, e.g. "gopay", "ideal_wero"
    name: str  # English; the plugin's catalog translates it
    kind: str  # one of PAYMENT_KINDS
    flow: PaymentFlow
    countries: tuple[str, ...]
    currencies: tuple[str, ...]
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None  # e.g. a cash-on-delivery cap
    excluded_categories: tuple[str, ...] = ()
    requires_features: tuple[str, ...] = ()  # e.g. ("cash_on_delivery",)
    source: tuple[str, ...] = ()

    def allows(self, amount: Decimal, categories: tuple[str, ...] = ()) -> bool:
        """Whether a basket of ``amount`` with these product categories may use the method."""
        if self.min_amount is not None and amount < self.min_amount:
            return False
        if self.max_amount is not None and amount > self.max_amount:
            return False
        return not set(categories) & set(self.excluded_categories)


PaymentStatus = Literal[
    "requires_action",  # the buyer must act: redirect, pay a VA, scan a QR
    "pending",  # submitted, outcome not known yet (async confirmation or COD)
    "authorized",
    "captured",
    "failed",
    "cancelled",
    "expired",
    "refunded",
    "partially_refunded",
]


@dataclass(frozen=True)
class PaymentRequest:
    reference: str  # the kernel's payment id; echoed in webhooks
    amount: Decimal
    currency: str
    method: str
    country: str
    return_url: str
    idempotency_key: str
    buyer_email: str | None = None
    # Method-specific input from the buyer, e.g. {"card_number": "4242..."} for sandbox cards.
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentIntent:
    """The provider's answer to a created payment."""

    provider_ref: str
    status: PaymentStatus
    amount: Decimal
    currency: str
    redirect_url: str | None = None  # redirect flows: where to send the buyer
    instructions: Mapping[str, str] = field(default_factory=dict)  # VA number, QR payload, ...
    expires_at: datetime | None = None
    failure_reason: str | None = None


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    refund_ref: str
    amount: Decimal
    status: Literal["pending", "succeeded", "failed"]


@dataclass(frozen=True)
class WebhookEvent:
    """A verified, parsed provider notification. ``event_id`` makes handling idempotent;
    ``occurred_at`` lets the kernel ignore events older than what it already knows."""

    event_id: str
    type: str  # e.g. "payment.captured", "payment.expired", "refund.succeeded"
    provider_ref: str
    status: str
    occurred_at: datetime
    amount: Decimal | None = None
    currency: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


class ProviderUnavailable(RuntimeError):
    """The provider did not answer in time: the outcome of the call is unknown.

    Not a failure: the kernel keeps the payment pending and settles it later through
    ``query_status`` (reconciliation); it never retries in a way that could charge twice.
    """


class WebhookError(ValueError):
    """A notification failed verification: bad signature, stale timestamp or bad body.
    The kernel answers 400 and writes nothing."""


@dataclass(frozen=True)
class OutgoingWebhook:
    """A notification a sandbox provider wants delivered to the kernel's webhook endpoint."""

    endpoint: Literal["payments", "payouts", "shipping"]
    provider: str  # method code, payout provider code or carrier code
    headers: Mapping[str, str]
    body: bytes


class KeyValueStore(Protocol):
    """Durable storage a sandbox provider uses as "the provider's own database"."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class ProviderContext:
    """What the kernel hands a provider when it asks a plugin for one.

    A real adapter uses ``secret`` (the webhook signing secret of the tenant's provider
    account), ``base_url`` and ``settings`` (credentials from the tenant file); sandboxes also
    use ``store`` and ``send`` to behave like a remote service, and ``clock`` so tests control
    time.
    """

    tenant: str
    secret: bytes
    base_url: str
    store: KeyValueStore
    send: Callable[[OutgoingWebhook], None]
    clock: Callable[[], datetime]
    settings: Mapping[str, str] = field(default_factory=dict)
    country: str = ""  # the tenant's market, for providers that serve several countries


@runtime_checkable
class PaymentGateway(Protocol):
    """A payment provider for one or more methods. Every call is idempotent on its key."""

    code: str

    def create_payment(self, request: PaymentRequest) -> PaymentIntent: ...

    def capture(self, provider_ref: str, amount: Decimal | None = None) -> PaymentIntent: ...

    def cancel(self, provider_ref: str) -> PaymentIntent: ...

    def refund(self, provider_ref: str, amount: Decimal, idempotency_key: str) -> RefundResult: ...

    def query_status(self, provider_ref: str) -> PaymentIntent: ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent: ...


# ---------------------------------------------------------------------------------------------
# Payouts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankAccount:
    holder: str
    number: str  # IBAN, account number or e-wallet id
    bank_code: str | None = None  # sort code, routing number, SWIFT/BIC, bank id
    country: str | None = None


@dataclass(frozen=True)
class PayoutRequest:
    reference: str
    amount: Decimal
    currency: str
    account: BankAccount
    idempotency_key: str


@dataclass(frozen=True)
class PayoutResult:
    provider_ref: str
    status: Literal["pending", "paid", "failed"]
    amount: Decimal
    currency: str
    failure_reason: str | None = None


@runtime_checkable
class PayoutProvider(Protocol):
    code: str

    def validate_account(self, account: BankAccount) -> list[str]:
        """Problems with the account details (empty list: valid)."""

    def create_payout(self, request: PayoutRequest) -> PayoutResult: ...

    def query_status(self, provider_ref: str) -> PayoutResult: ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent: ...


# ---------------------------------------------------------------------------------------------
# Shipping
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarrierInfo:
    code: str  # e.g. "jnt_id", "royal_mail"
    name: str
    countries: tuple[str, ...]
    services: tuple[str, ...]  # e.g. ("standard", "express")
    cod: bool = False  # collects cash on delivery
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class Address:
    country: str
    postal_code: str = ""
    region: str = ""  # province / state / county
    city: str = ""
    line1: str = ""
    line2: str = ""
    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    length_cm: int = 0
    width_cm: int = 0
    height_cm: int = 0
    declared_value: Decimal = Decimal(0)
    cod_amount: Decimal | None = None


@dataclass(frozen=True)
class ShipmentRequest:
    reference: str
    origin: Address
    destination: Address
    parcel: Parcel
    currency: str


@dataclass(frozen=True)
class ShippingQuote:
    carrier: str
    service: str
    amount: Decimal
    currency: str
    zone: str
    min_days: int
    max_days: int


@dataclass(frozen=True)
class Shipment:
    carrier: str
    service: str
    tracking_number: str
    label_url: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class TrackingEvent:
    tracking_number: str
    status: Literal[
        "label_created",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "failed_attempt",
        "returned",
    ]
    occurred_at: datetime
    location: str = ""
    event_id: str = ""
    cod_collected: Decimal | None = None


@runtime_checkable
class Carrier(Protocol):
    info: CarrierInfo

    def quote(self, request: ShipmentRequest) -> list[ShippingQuote]: ...

    def create_shipment(self, request: ShipmentRequest, service: str) -> Shipment: ...

    def track(self, tracking_number: str) -> list[TrackingEvent]: ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> TrackingEvent: ...


# ---------------------------------------------------------------------------------------------
# Features, consumer law, KYC
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureSet:
    """Default feature switches for a country; features not named are off."""

    country: str
    enabled: frozenset[str]
    source: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)  # why a feature is off or limited

    def __contains__(self, feature: object) -> bool:
        return feature in self.enabled


@dataclass(frozen=True)
class ConsumerRules:
    """Order and return rules of consumer law (or the platform norm where no law exists)."""

    country: str
    return_window_days: int
    return_window_basis: Literal["statutory", "platform"]
    price_display: PriceDisplay
    refund_deadline_days: int | None = None
    prior_price_days: int | None = None  # EU Omnibus: show the lowest price of N days before
    withdrawal_button_from: date | None = None  # EU Art. 11a: a withdrawal function from then
    source: tuple[str, ...] = ()
    # The consumer tax's short name as buyers know it, in English and marked for the plugin's
    # catalog ("VAT", "GST", "sales tax"): the storefront says "incl. VAT" / "plus sales tax"
    # in the buyer's language. "" (a plugin that names none) reads as plain "tax".
    tax_label: str = ""


@dataclass(frozen=True)
class KycField:
    name: str  # e.g. "nib", "companies_house_number"
    label: str
    pattern: str  # a regular expression the whole value must match
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class KycRequirements:
    country: str
    fields: tuple[KycField, ...]
    documents: tuple[str, ...]  # e.g. ("business_licence", "tax_certificate")
    source: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Lifecycle events
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LifecycleEvent:
    """What a lifecycle hook receives: a snapshot, never a live ORM object."""

    tenant: str
    kind: str  # "order.placed", "order.paid", "seller.approved", ...
    subject_id: str
    occurred_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Discovery: the For You feed ranker (``pasar_rank_feed``)
# ---------------------------------------------------------------------------------------------

#: What a feed item is: a product card, a short video, a live session on air, or a paid slot.
FeedKind = Literal["product", "video", "live", "sponsored"]


@dataclass(frozen=True)
class FeedCandidate:
    """Something the feed could show, with the signals the kernel measured for it.

    ``popularity`` is already time-decayed by the kernel (recent purchases and interactions
    weigh more; see ``pasar.discovery.feed``), so a ranker needs no access to the tables.
    """

    kind: FeedKind
    id: int  # the product's, video's or live session's id
    seller_id: int | None = None
    creator_id: int | None = None
    product_id: int | None = None  # the product itself, or the first product a video anchors
    category_id: int | None = None
    created_at: datetime | None = None
    popularity: float = 0.0
    live: bool = False  # on air right now
    sponsored: bool = False  # a paid slot from the ads auction; shown where it was won


@dataclass(frozen=True)
class FeedContext:
    """Who the feed is for and what the kernel knows of their taste.

    Affinities map a category, seller or creator id to a weight in ``[0, 1]`` (1 = the
    strongest interest of this buyer); all empty for a buyer with no history or no sign-in
    (cold start). Read-only mappings.
    """

    tenant: str
    country: str
    now: datetime
    buyer_id: int | None = None
    category_affinity: Mapping[int, float] = field(default_factory=dict)
    seller_affinity: Mapping[int, float] = field(default_factory=dict)
    creator_affinity: Mapping[int, float] = field(default_factory=dict)

    @property
    def cold_start(self) -> bool:
        return not (self.category_affinity or self.seller_affinity or self.creator_affinity)


@dataclass(frozen=True)
class RankedItem:
    """A candidate in its place in the feed, with its score and a short explanation in English
    a buyer may be shown ("Because you like this shop")."""

    candidate: FeedCandidate
    score: float
    explanation: str
