"""The plugin contract: every hook a Pasar plugin may implement.

This module is the plugin author's manual (``docs/plugins.md`` is generated from it and a test
keeps the two in sync). Each hook says **when** the kernel calls it, **what** it gets, **what**
it must return, and whether the **first** non-``None`` answer wins (``firstresult``) or every
plugin's answer is collected.

How the kernel calls hooks
--------------------------
* A plugin registers through the entry-point group ``pasar.plugins``::

      [options.entry_points]
      pasar.plugins =
          sea = pasar_sea.plugin

  and writes ``from pasar import hookimpl`` then ``@hookimpl def pasar_...``.
* Hooks are called **per tenant**: the kernel builds a caller that contains only the plugins
  the tenant names in ``tenants/<code>.toml`` (plus the kernel's own defaults). The UK tenant
  never asks the Southeast Asia plugin anything. A region plugin therefore answers only for
  the countries it declares in ``pasar_region_info`` and returns ``None`` (or registers
  nothing) for any other country.
* ``firstresult`` hooks stop at the first non-``None`` answer. Where the kernel has a
  fallback, it is registered ``trylast`` so that any plugin answer wins over it. Never rely on
  the order plugins are registered in.
* Answers are the frozen values of ``pasar.contracts`` and the provider protocols there — never
  ORM objects, never Flask objects. Amounts are ``Decimal`` in major units plus a currency.
* Every regional fact carries ``source``: IDs from REGIONS.md (e.g. ``("S24", "S25")``).

Groups: region · tax · payments · shipping · lifecycle · discovery · extension.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    import click
    from flask import Blueprint

    from pasar.contracts import (
        CarrierInfo,
        ConsumerRules,
        CurrencyRules,
        FeatureSet,
        FeedCandidate,
        FeedContext,
        KycRequirements,
        LifecycleEvent,
        PaymentGateway,
        PaymentMethod,
        PayoutProvider,
        ProviderContext,
        RankedItem,
        RegionInfo,
        TaxContext,
        TaxQuote,
        Carrier,
        Withholding,
        WithholdingContext,
    )

PROJECT = "pasar"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# =============================================================================================
# Region: what a plugin serves and the rules of each country
# =============================================================================================


@hookspec
def pasar_region_info() -> RegionInfo:
    """Describe the countries this plugin serves.

    When: at start-up (``pasar plugins``, tenant validation) and whenever the kernel needs to
    know which plugin serves a country; answers are cached per process.

    Returns: a ``RegionInfo`` naming the plugin, a title, and one ``CountryInfo`` per country
    (ISO code, currency, babel locales with the default first, IANA time zones, and the
    subdivisions — e.g. US states — the plugin has tax data for).

    All results are collected (a tenant may enable several plugins). Extension plugins that
    serve no country do not implement it.
    """


@hookspec(firstresult=True)
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules | None:
    """How ``currency`` is stored, rounded and shown in ``country``.

    When: whenever the kernel converts, rounds or formats money for a tenant.

    Args:
        currency: ISO 4217 code, e.g. ``"IDR"``.
        country: ISO 3166 code of the tenant's market, e.g. ``"ID"``. Cash rounding differs
            by country for the same currency (NL rounds cash totals to 5 cents, DE does not).

    Returns: ``CurrencyRules`` (ISO storage exponent, display exponent used in practice, named
    rounding mode, cash-rounding increment in minor units, optional babel pattern), or ``None``
    when the plugin does not serve that pair.

    firstresult: stops at the first non-``None`` answer. The kernel's fallback (ISO exponent
    from babel, ``ROUND_HALF_UP``, no cash rounding) is registered ``trylast``.
    """


@hookspec(firstresult=True)
def pasar_features(country: str) -> FeatureSet | None:
    """The feature switches a market supports, e.g. ``shopping_tab`` or ``cash_on_delivery``.

    When: on tenant validation and whenever a request asks whether a feature is on.

    Returns: a ``FeatureSet`` with the enabled features (names from
    ``pasar.contracts.FEATURES``) and notes explaining any that are off, or ``None`` for a
    country the plugin does not serve. A tenant may switch a feature off; it may never switch on
    a feature the plugin leaves off.

    firstresult: stops at the first non-``None`` answer.
    """


@hookspec(firstresult=True)
def pasar_consumer_rules(country: str, on: date) -> ConsumerRules | None:
    """Consumer-law rules for orders and returns in ``country`` on date ``on``.

    When: when an order is delivered (return window), when a discounted price is shown (prior
    price rule), when prices are displayed (inclusive or exclusive).

    Returns: ``ConsumerRules`` — return/withdrawal window in days and whether it is statutory
    or the platform norm, price display, refund deadline, prior-price days (EU: 30), the
    date from which a withdrawal button is required (EU: 2026-06-19), and ``tax_label``: the
    consumer tax's short name as buyers know it ("VAT", "GST", "sales tax"), in English and
    marked for the plugin's own catalog, so the storefront says "incl. VAT" (German
    "inkl. MwSt.") or "plus sales tax" — or ``None``. A plugin that gives no label (the
    default ``""``) gets the plain word "tax"; the label is a name, not a phrase: no "incl.",
    no placeholders, one short line.

    firstresult: stops at the first non-``None`` answer.
    """


@hookspec(firstresult=True)
def pasar_kyc_requirements(country: str) -> KycRequirements | None:
    """The fields and documents a seller must give to register a shop in ``country``.

    When: when a seller registers and when an operator reviews the registration.

    Returns: ``KycRequirements`` whose fields carry a validating regular expression (e.g.
    Indonesia's 13-digit NIB, a UK Companies House number, a US EIN), or ``None``.

    firstresult: stops at the first non-``None`` answer.
    """


@hookspec
def pasar_locale_dirs() -> list[str]:
    """Directories holding this plugin's gettext catalogs (``<lang>/LC_MESSAGES/messages.mo``).

    When: once, when the application sets up translations; the kernel merges every plugin's
    catalogs after its own, so payment-method and carrier names and tax labels are translated.

    Returns: a list of absolute paths. All results are collected.
    """


# =============================================================================================
# Tax
# =============================================================================================


@hookspec(firstresult=True)
def pasar_tax_quote(context: TaxContext) -> TaxQuote | None:
    """The consumer tax on a basket from one seller.

    When: on every checkout quote and order placement, and by ``pasar tax quote``.

    Args:
        context: destination country (and US state / city), currency, the date that decides
            which rate is in force, where the seller is established and ships from, and the
            lines with the kernel's tax category and the price as displayed.

    Returns: a ``TaxQuote`` with, per line, the tax amount rounded to the currency's display
    precision, the effective rate, the taxable base, the rule and its sources; whether prices
    are tax-inclusive; and who collects it (``"marketplace"`` under deemed-supplier or
    marketplace-facilitator rules). Every category of ``pasar.contracts.TAX_CATEGORIES`` must
    be answered for every served country. ``None`` for a country the plugin does not serve.

    firstresult: stops at the first non-``None`` answer.
    """


@hookspec
def pasar_marketplace_withholding(context: WithholdingContext) -> list[Withholding]:
    """Income tax the marketplace must withhold from a seller's turnover.

    When: when a seller's settlement is computed (order completion, payout batch).

    Returns: a list of ``Withholding`` (empty when nothing applies — below a threshold, an
    exemption statement, another country). Examples: Indonesia PPh 22 0.5%, Philippines 1% of
    half the remittance, Vietnam VAT 1% + PIT 0.5% for household sellers.

    All results are collected and added up; each plugin answers only for its own countries.
    """


# =============================================================================================
# Payments
# =============================================================================================


@hookspec
def pasar_register_payment_methods(
    register: Callable[[PaymentMethod], None], country: str
) -> None:
    """Offer the payment methods buyers in ``country`` can use.

    When: on tenant validation (a tenant may only name methods offered here) and when checkout
    lists the methods for a basket.

    Args:
        register: call it once per ``PaymentMethod`` (code, English name, kind, flow,
            countries, currencies, min/max amount such as a cash-on-delivery cap, excluded
            product categories, features it requires).
        country: the tenant's market.

    Returns nothing; contributions from every plugin are collected. A code registered twice is
    a start-up error naming both plugins.
    """


@hookspec(firstresult=True)
def pasar_payment_gateway(method: str, context: ProviderContext) -> PaymentGateway | None:
    """The provider object that processes payments for ``method``.

    When: when checkout creates a payment, when a payment webhook arrives, and when the
    reconciliation task queries a payment whose outcome is unknown.

    Args:
        method: a payment-method code this plugin registered.
        context: the tenant's code, webhook signing secret, public base URL, settings, and —
            for sandboxes — a durable store, a way to send webhooks and a clock.

    Returns: an object satisfying ``pasar.contracts.PaymentGateway`` (create, capture, cancel,
    refund, query status, verify and parse a signed webhook), or ``None`` for a method the
    plugin does not own. A real adapter (Stripe, Xendit, Adyen) is a drop-in answer here.

    firstresult: stops at the first non-``None`` answer.
    """


@hookspec(firstresult=True)
def pasar_payout_provider(country: str, context: ProviderContext) -> PayoutProvider | None:
    """The provider that pays sellers and creators out to bank accounts in ``country``.

    When: when a payout batch runs and when a seller's bank account is validated.

    Returns: an object satisfying ``pasar.contracts.PayoutProvider``, or ``None``.

    firstresult: stops at the first non-``None`` answer.
    """


# =============================================================================================
# Shipping
# =============================================================================================


@hookspec
def pasar_register_carriers(register: Callable[[CarrierInfo], None], country: str) -> None:
    """Offer the parcel carriers that deliver in ``country``.

    When: on tenant validation (a tenant may only name carriers offered here) and when
    checkout lists shipping options.

    Args:
        register: call it once per ``CarrierInfo`` (code, name, countries, services, whether it
            collects cash on delivery).
        country: the tenant's market.

    Returns nothing; contributions from every plugin are collected.
    """


@hookspec(firstresult=True)
def pasar_carrier(code: str, context: ProviderContext) -> Carrier | None:
    """The provider object for carrier ``code``.

    When: when checkout quotes shipping, a seller buys a label, or a tracking webhook arrives.

    Returns: an object satisfying ``pasar.contracts.Carrier`` (quote by weight and zone,
    create a shipment with tracking number and label, tracking events, verify a signed
    tracking webhook), or ``None`` for a carrier the plugin does not own.

    firstresult: stops at the first non-``None`` answer.
    """


# =============================================================================================
# Lifecycle events (for extension plugins: analytics, ERP, notifications)
# =============================================================================================


@hookspec
def pasar_order_placed(event: LifecycleEvent) -> None:
    """An order was placed (one per seller under a checkout).

    When: after the transaction that created the order committed, from the event relay —
    at least once, so an implementation must be idempotent on ``event.data["event_id"]``.

    Returns nothing; every plugin is called.
    """


@hookspec
def pasar_order_paid(event: LifecycleEvent) -> None:
    """An order's payment was captured (or, for cash on delivery, collected).

    When: from the event relay after commit, at least once. Returns nothing.
    """


@hookspec
def pasar_order_shipped(event: LifecycleEvent) -> None:
    """The seller handed an order to a carrier (a label was bought and used).

    When: from the event relay after commit, at least once. Returns nothing.
    """


@hookspec
def pasar_order_delivered(event: LifecycleEvent) -> None:
    """The carrier reported an order delivered; the return window starts.

    When: from the event relay after commit, at least once. Returns nothing.
    """


@hookspec
def pasar_order_refunded(event: LifecycleEvent) -> None:
    """Money went back to the buyer for an order (full or partial refund).

    When: from the event relay after commit, at least once. Returns nothing.
    """


@hookspec
def pasar_seller_approved(event: LifecycleEvent) -> None:
    """An operator approved a seller's registration; the shop may list and sell.

    When: from the event relay after commit, at least once. Returns nothing.
    """


# =============================================================================================
# Discovery
# =============================================================================================


@hookspec(firstresult=True)
def pasar_rank_feed(context: FeedContext, candidates: Sequence[FeedCandidate]) -> list[RankedItem] | None:
    """Order the For You feed of one buyer.

    When: each time a buyer opens (or pages through) ``GET /api/v1/feed``; the kernel has
    gathered the organic candidates (products, videos, lives on air) and measured their
    time-decayed popularity and the buyer's category/seller/creator affinities. Sponsored items
    are not candidates: the ads auction fills fixed slots of each page after ranking, so paid
    reach never changes the organic order (or the cursor's).

    Args:
        context: the tenant, the moment, the buyer (``None`` when signed out) and their
            affinities (all empty on a cold start).
        candidates: every ``FeedCandidate`` the kernel found, in no particular order.

    Returns: a list of ``RankedItem`` — the candidates to show, best first, each with a score
    and an explanation — or ``None`` to leave ranking to the next implementation. The order
    returned is final (the kernel only pages through it): a replacement ranker owns diversity
    too. Leaving a candidate out hides it.

    firstresult: stops at the first non-``None`` answer. The kernel's ranker (affinity,
    popularity with time decay, freshness, live boost, at most two items in a row from one
    seller, popularity for a cold start) is registered ``trylast``.
    """


# =============================================================================================
# Extension: add endpoints and commands
# =============================================================================================


@hookspec
def pasar_register_blueprints(register: Callable[[Blueprint], None]) -> None:
    """Add Flask blueprints (extra API endpoints or pages).

    When: once, while the application is built, after the kernel's own blueprints.

    Args:
        register: call it with each ``flask.Blueprint``; the kernel mounts them and documents
            flask-smorest blueprints in the OpenAPI spec.

    Returns nothing; contributions from every installed plugin are collected.
    """


@hookspec
def pasar_register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``pasar`` command line.

    When: once, when the ``pasar`` CLI starts.

    Args:
        cli: the root ``click.Group``; call ``cli.add_command(...)``.

    Returns nothing; every installed plugin is called.
    """
