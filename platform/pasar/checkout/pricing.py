"""Pricing a cart: vouchers, tax, shipping and the payment methods the basket allows.

The money flow of one shop's order (all integer minor units of the tenant's currency):

* ``subtotal`` = Σ unit price × quantity, prices as displayed (tax-inclusive in SEA/UK/EU,
  exclusive in the US);
* the shop's voucher is split over that shop's lines, then the platform voucher over every
  line's remainder, each with ``allocate_money`` so the parts add up to the voucher exactly;
* tax comes from the region plugin on the *discounted* unit prices (a line whose discount does
  not divide by its quantity is sent as two groups of units, so per-unit thresholds such as
  New York's clothing exemption see real unit prices); inclusive tax is inside the price,
  exclusive tax is added;
* shipping is the chosen (or cheapest) quote of the shop's carriers for the parcel.

A line whose variant has a deal running (``pasar.deals``; a live deal only for a line added in
its room) is priced at the deal price; a
deal sold out, or over the buyer's limit, is refused by line (409 / 429) rather than quietly
charged at the normal price.

Nothing here writes: placing an order prices the cart again with the same functions (and
claims the deal units then).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from moneyed import Money
from sqlalchemy.orm import Session

from pasar.catalog.service import SaleItem
from pasar.checkout import vouchers as voucher_rules
from pasar.checkout.amounts import Amounts
from pasar.checkout.errors import CheckoutError, InvalidCheckout
from pasar.checkout.models import Voucher
from pasar.contracts import Address, Parcel, PaymentMethod, ShippingQuote, TaxContext, TaxLineInput
from pasar.deals import service as deals
from pasar.deals.models import Deal
from pasar.money import allocate, allocate_money, format_money, from_minor
from pasar.tenancy.service import TenantContext

#: ``(seller_id, destination, parcel) -> quotes`` of the tenant's carriers from the shop.
ShippingOptions = Callable[[int, Address, Parcel], list[ShippingQuote]]


@dataclass(frozen=True)
class CartPick:
    """A cart line to price: the variant as sold now and how many."""

    line_id: int
    sale: SaleItem
    quantity: int
    deal_id: int | None = None  # the deal whose price ``sale`` carries
    live_session_id: int | None = None  # added to the cart in this live room
    deal: Deal | None = None  # the running deal the line gets (read with the cart)
    deal_bought: int = 0  # units of that deal the buyer already holds or bought


@dataclass(frozen=True)
class QuoteRequest:
    address: Address
    shipping: Mapping[int, tuple[str, str]]  # seller id → (carrier, service) the buyer chose
    voucher_codes: tuple[str, ...] = ()
    payment_method: str | None = None


@dataclass
class PricedLine:
    line_id: int
    sale: SaleItem
    quantity: int
    seller_discount_minor: int = 0
    platform_discount_minor: int = 0
    tax_minor: int = 0
    tax_rate: Decimal = Decimal(0)
    deal_id: int | None = None  # priced at this deal's price: placing must claim it
    live_session_id: int | None = None  # added to the cart in this live room

    @property
    def subtotal_minor(self) -> int:
        return self.sale.price_minor * self.quantity

    @property
    def discount_minor(self) -> int:
        return self.seller_discount_minor + self.platform_discount_minor

    @property
    def net_minor(self) -> int:
        """What the line costs after vouchers, as displayed (tax-inclusive where prices are)."""
        return self.subtotal_minor - self.discount_minor


@dataclass(frozen=True)
class ShippingPick:
    carrier: str
    service: str
    amount_minor: int
    min_days: int
    max_days: int


@dataclass
class PricedGroup:
    """One shop's part of the cart: what becomes one order."""

    seller_id: int
    seller_name: str
    lines: list[PricedLine]
    options: list[ShippingQuote] = field(default_factory=list)
    shipping: ShippingPick | None = None
    tax_inclusive: bool = True
    tax_collected_by: str = "seller"
    cod_capable: bool = False

    @property
    def subtotal_minor(self) -> int:
        return sum(line.subtotal_minor for line in self.lines)

    @property
    def seller_discount_minor(self) -> int:
        return sum(line.seller_discount_minor for line in self.lines)

    @property
    def platform_discount_minor(self) -> int:
        return sum(line.platform_discount_minor for line in self.lines)

    @property
    def tax_minor(self) -> int:
        return sum(line.tax_minor for line in self.lines)

    @property
    def tax_added_minor(self) -> int:
        return 0 if self.tax_inclusive else self.tax_minor

    @property
    def shipping_minor(self) -> int:
        return self.shipping.amount_minor if self.shipping is not None else 0

    @property
    def goods_minor(self) -> int:
        """The lines after vouchers, with tax if it is added: what the goods cost the buyer."""
        return sum(line.net_minor for line in self.lines) + self.tax_added_minor

    @property
    def total_minor(self) -> int:
        return self.goods_minor + self.shipping_minor

    @property
    def weight_grams(self) -> int:
        return sum(line.sale.weight_grams * line.quantity for line in self.lines)


@dataclass(frozen=True)
class AppliedVoucher:
    voucher: Voucher
    amount_minor: int


@dataclass
class Quote:
    groups: list[PricedGroup]
    vouchers: list[AppliedVoucher]
    methods: list[PaymentMethod]  # the methods this basket may be paid with
    method: PaymentMethod | None  # the one the buyer chose, checked allowed

    def _sum(self, name: str) -> int:
        return sum(getattr(group, name) for group in self.groups)

    @property
    def subtotal_minor(self) -> int:
        return self._sum("subtotal_minor")

    @property
    def discount_minor(self) -> int:
        return self._sum("seller_discount_minor") + self._sum("platform_discount_minor")

    @property
    def shipping_minor(self) -> int:
        return self._sum("shipping_minor")

    @property
    def tax_minor(self) -> int:
        return self._sum("tax_minor")

    @property
    def tax_added_minor(self) -> int:
        return self._sum("tax_added_minor")

    @property
    def total_minor(self) -> int:
        return self._sum("total_minor")

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({line.sale.tax_category for group in self.groups for line in group.lines}))


# --- the whole quote ---------------------------------------------------------------------------
def price(
    session: Session, tenant: TenantContext, buyer_id: int, picks: Sequence[CartPick], seller_names: Mapping[int, str],
    request: QuoteRequest, shipping_options: ShippingOptions, on: date,
) -> Quote:
    """Price ``picks`` for ``request``; ``InvalidCheckout`` names any field that is wrong."""
    if not picks:
        raise InvalidCheckout("your cart is empty", "cart")
    amounts = Amounts.of(tenant)
    groups = group_lines(picks, seller_names)
    _check_shipping_sellers(request, groups)
    vouchers = voucher_rules.vouchers_for_codes(
        session, tenant, request.voucher_codes, buyer_id, {group.seller_id for group in groups}
    )
    applied = apply_vouchers(groups, vouchers, amounts)
    for group in groups:
        add_tax(tenant, group, request.address, amounts, on)
    method = chosen_method(tenant, request.payment_method)
    cod = method is not None and method.flow == "on_delivery"
    cod_carriers = {info.code for info in tenant.carriers() if info.cod}
    for group in groups:
        add_shipping(group, request, shipping_options, amounts, cod=cod, cod_carriers=cod_carriers)
    quote = Quote(groups, applied, [], None)
    quote.methods = [m for m in tenant.payment_methods() if method_refusal(m, quote, amounts) is None]
    if method is not None:
        why = method_refusal(method, quote, amounts)
        if why is not None:
            raise InvalidCheckout(f"{method.code}: {why}", "payment_method")
        quote.method = method
    return quote


def group_lines(picks: Sequence[CartPick], seller_names: Mapping[int, str]) -> list[PricedGroup]:
    groups: dict[int, PricedGroup] = {}
    for pick in picks:
        seller = pick.sale.seller_id
        group = groups.setdefault(seller, PricedGroup(seller, seller_names.get(seller, ""), []))
        group.lines.append(PricedLine(pick.line_id, pick.sale, pick.quantity, deal_id=pick.deal_id,
                                      live_session_id=pick.live_session_id))
    return list(groups.values())


# --- deals -------------------------------------------------------------------------------------
def deal_prices(tenant: TenantContext, picks: Sequence[CartPick]) -> list[CartPick]:
    """The picks with a running deal (read with the cart) at the deal price. Reads nothing: a
    sold-out deal or one the buyer has used up is refused now, by line, so the quote never
    shows a price placing would not honour; placing claims the units with guarded writes."""
    priced: list[CartPick] = []
    for pick in picks:
        deal = pick.deal
        if deal is None:
            priced.append(pick)
            continue
        refusal = deals.claim_refusal(deal, pick.deal_bought, pick.quantity)
        if refusal is not None:
            raise deal_refusal(refusal, pick)
        unit_price = from_minor(deal.price_minor, pick.sale.currency, tenant.currency_rules()).amount
        sale = replace(pick.sale, price_minor=deal.price_minor, unit_price=unit_price)
        priced.append(replace(pick, sale=sale, deal_id=deal.id))
    return priced


def deal_refusal(error: deals.DealError, pick: CartPick | PricedLine) -> CheckoutError:
    """A deal's refusal as the checkout's, naming the cart line: 429 over the buyer's limit,
    409 when the deal sold out or ended."""
    status = 429 if isinstance(error, deals.DealLimitReached) else 409
    return CheckoutError(error.message, f"lines.{pick.line_id}", status=status,
                         variant_id=pick.sale.variant_id, deal_id=error.deal_id)


def _check_shipping_sellers(request: QuoteRequest, groups: Sequence[PricedGroup]) -> None:
    unknown = sorted(set(request.shipping) - {group.seller_id for group in groups})
    if unknown:
        raise InvalidCheckout(f"no shop {unknown[0]} in your cart", "shipping")


# --- vouchers ----------------------------------------------------------------------------------
def apply_vouchers(groups: Sequence[PricedGroup], vouchers: Sequence[Voucher], amounts: Amounts) -> list[AppliedVoucher]:
    """Shop vouchers first on their shop's lines, then the platform voucher on what is left."""
    applied: list[AppliedVoucher] = []
    by_seller = {group.seller_id: group for group in groups}
    for voucher in sorted((v for v in vouchers if v.scope == "seller"), key=lambda v: v.seller_id or 0):
        assert voucher.seller_id is not None
        lines = by_seller[voucher.seller_id].lines
        shares = _voucher_shares(voucher, [line.subtotal_minor for line in lines], amounts)
        for line, share in zip(lines, shares):
            line.seller_discount_minor += share
        applied.append(AppliedVoucher(voucher, sum(shares)))
    for voucher in (v for v in vouchers if v.scope == "platform"):
        lines = [line for group in groups for line in group.lines]
        shares = _voucher_shares(voucher, [line.net_minor for line in lines], amounts)
        for line, share in zip(lines, shares):
            line.platform_discount_minor += share
        applied.append(AppliedVoucher(voucher, sum(shares)))
    return applied


def _voucher_shares(voucher: Voucher, bases: list[int], amounts: Amounts) -> list[int]:
    """Each line's part of the voucher's discount, adding up to it exactly."""
    base = sum(bases)
    if base < voucher.min_spend_minor:
        spend = format_money(amounts.money(voucher.min_spend_minor), amounts.locale, amounts.rules)
        message = f"{voucher.code}: spend at least {spend} on what it covers"
        raise InvalidCheckout(message, errors={"vouchers": [message]})
    off = voucher_rules.discount_for(voucher, base, amounts)
    if off == 0:
        return [0] * len(bases)
    parts = allocate_money(amounts.money(off), bases, amounts.rules)
    return [amounts.minor_exact(part.amount) for part in parts]


# --- tax ---------------------------------------------------------------------------------------
def add_tax(tenant: TenantContext, group: PricedGroup, address: Address, amounts: Amounts, on: date) -> None:
    """Ask the region plugin for the tax on the shop's discounted lines and keep it per line."""
    inputs: list[TaxLineInput] = []
    owners: dict[str, PricedLine] = {}
    for line in group.lines:
        for item in tax_inputs(line, amounts):
            inputs.append(item)
            owners[item.ref] = line
    context = TaxContext(
        country=address.country, currency=tenant.currency, on=on, lines=tuple(inputs),
        subdivision=address.region.strip() or None, city=address.city.strip() or None,
    )
    try:
        quote = tenant.hooks.tax_quote(context)
    except ValueError as exc:  # the plugin says the destination is incomplete (e.g. no US state)
        field = "shipping_address.region" if _needs_region(tenant, address) else "shipping_address"
        raise InvalidCheckout(str(exc), field) from None
    if quote is None:
        raise InvalidCheckout(f"no tax rules for {address.country}", "shipping_address.country")
    group.tax_inclusive, group.tax_collected_by = quote.inclusive, quote.collected_by
    quantities = {item.ref: item.quantity for item in inputs}
    largest: dict[int, int] = {}
    for line_tax in quote.lines:
        line = owners[line_tax.ref]
        line.tax_minor += amounts.minor(line_tax.tax)
        if quantities[line_tax.ref] > largest.get(line.line_id, 0):  # the rate most units pay
            largest[line.line_id], line.tax_rate = quantities[line_tax.ref], line_tax.rate


def tax_inputs(line: PricedLine, amounts: Amounts) -> list[TaxLineInput]:
    """The line's units at their discounted unit prices: one group, or two when the discount
    does not divide evenly (some units carry one display unit more of it)."""
    unit_units = amounts.display_units(line.sale.price_minor)
    per_unit = allocate(amounts.display_units(line.discount_minor), [1] * line.quantity)
    groups = Counter(per_unit)
    return [
        TaxLineInput(
            ref=f"{line.line_id}:{off}", category=line.sale.tax_category,
            unit_price=amounts.decimal((unit_units - off) * amounts.step), quantity=count,
        )
        for off, count in sorted(groups.items())
    ]


def _needs_region(tenant: TenantContext, address: Address) -> bool:
    info = tenant.hooks.country(address.country)
    return bool(info and info.subdivisions)


# --- shipping ----------------------------------------------------------------------------------
def add_shipping(
    group: PricedGroup, request: QuoteRequest, shipping_options: ShippingOptions, amounts: Amounts,
    *, cod: bool, cod_carriers: set[str],
) -> None:
    """Quote the shop's parcel with the tenant's carriers and pick the buyer's choice (or the
    cheapest). With cash on delivery only carriers that collect cash quote at all."""
    goods = amounts.decimal(group.goods_minor)
    parcel = Parcel(weight_grams=max(group.weight_grams, 1), declared_value=goods, cod_amount=goods if cod else None)
    options = sorted(shipping_options(group.seller_id, request.address, parcel), key=lambda q: (q.amount, q.max_days, q.carrier, q.service))
    group.options = options
    group.cod_capable = any(option.carrier in cod_carriers for option in options)
    if not options:
        field = "payment_method" if cod else "shipping_address"
        why = "no carrier collects cash on delivery" if cod else "no carrier delivers"
        raise InvalidCheckout(f"{why} from {group.seller_name or 'shop ' + str(group.seller_id)} to this address", field)
    wanted = request.shipping.get(group.seller_id)
    chosen = options[0] if wanted is None else _find(options, wanted, group)
    group.shipping = ShippingPick(chosen.carrier, chosen.service, amounts.minor(chosen.amount), chosen.min_days, chosen.max_days)


def _find(options: Sequence[ShippingQuote], wanted: tuple[str, str], group: PricedGroup) -> ShippingQuote:
    for option in options:
        if (option.carrier, option.service) == wanted:
            return option
    offered = ", ".join(f"{o.carrier}/{o.service}" for o in options)
    raise InvalidCheckout(f"shop {group.seller_id}: {wanted[0]}/{wanted[1]} is not offered; choose one of {offered}", "shipping")


# --- payment methods ---------------------------------------------------------------------------
def chosen_method(tenant: TenantContext, code: str | None) -> PaymentMethod | None:
    """The method the buyer named, if this marketplace offers it (features included)."""
    if code is None:
        return None
    for method in tenant.payment_methods():
        if method.code == code:
            return method
    raise InvalidCheckout(f"{code} is not offered here", "payment_method")


def method_refusal(method: PaymentMethod, quote: Quote, amounts: Amounts) -> str | None:
    """Why this basket may not be paid with ``method``, or None."""
    if amounts.currency not in method.currencies:
        return f"does not accept {amounts.currency}"
    total = amounts.decimal(quote.total_minor)
    if method.max_amount is not None and total > method.max_amount:
        return f"only for totals up to {_shown(method.max_amount, amounts)}"
    if method.min_amount is not None and total < method.min_amount:
        return f"only for totals from {_shown(method.min_amount, amounts)}"
    excluded = sorted(set(quote.categories) & set(method.excluded_categories))
    if excluded:
        return f"not for {', '.join(excluded)} products"
    if not method.allows(total, quote.categories):
        return "not for this basket"
    # Cash on delivery may span several shops: each parcel is collected at its own door and
    # payments captures the checkout order by order; the limits above apply to the whole cart.
    if method.flow == "on_delivery" and not all(group.cod_capable for group in quote.groups):
        return "no carrier collects cash on delivery for every shop in this cart"
    return None


def _shown(amount: Decimal, amounts: Amounts) -> str:
    return format_money(Money(amount, amounts.currency), amounts.locale, amounts.rules)
