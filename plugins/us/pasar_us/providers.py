"""The provider objects the hooks hand out: sandbox gateways, ACH payouts and carriers.

A real adapter (a card acquirer, PayPal, a carrier's API) replaces one of these factories'
answers behind the same ``pasar.contracts`` protocol.
"""
from __future__ import annotations

from decimal import Decimal

from pasar.contracts import Address, BankAccount, ProviderContext
from pasar.sandbox import (
    RateTable,
    SandboxCarrier,
    SandboxGateway,
    SandboxPayoutProvider,
    ServiceLevel,
    ZoneRate,
)

from pasar_us.data import carriers, payments
from pasar_us.data.states import census_region, state_code

COUNTRY = "US"
CURRENCY = "USD"
_ABA_WEIGHTS = (3, 7, 1) * 3


def gateway(method: str, context: ProviderContext) -> SandboxGateway | None:
    """The sandbox gateway that processes ``method``; ``None`` for a method of another plugin."""
    code = payments.gateway_for(method)
    if code is None:
        return None
    provider_name, codes = payments.GATEWAYS[code]
    owned = {name: payments.BY_CODE[name] for name in codes}
    return SandboxGateway(code=code, provider_name=provider_name, methods=owned, context=context)


def payout_provider(country: str, context: ProviderContext) -> SandboxPayoutProvider | None:
    """ACH payouts to US bank accounts; ``None`` for any other country."""
    if country != COUNTRY:
        return None
    return AchPayoutProvider(
        code=payments.PAYOUT_CODE,
        country=COUNTRY,
        currency=CURRENCY,
        context=context,
        account_pattern=payments.ACCOUNT_NUMBER_PATTERN,
        bank_code_pattern=payments.ROUTING_NUMBER_PATTERN,
        account_label=payments.ACCOUNT_LABEL,
    )


class AchPayoutProvider(SandboxPayoutProvider):
    """Sandbox ACH payouts that also check the routing number's ABA check digit, as an ACH
    originator does before sending: a mistyped digit is caught now, not days later as a
    returned payment."""

    def validate_account(self, account: BankAccount) -> list[str]:
        problems = super().validate_account(account)
        routing = (account.bank_code or "").strip()
        if routing and not any(p.startswith("bank_code") for p in problems):
            if not aba_checksum_ok(routing):
                problems.append(f"bank_code: {routing!r} fails the ABA routing check digit")
        return problems


def aba_checksum_ok(routing: str) -> bool:
    """The ABA check: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10."""
    if len(routing) != 9 or not routing.isdigit():
        return False
    return sum(w * int(d) for w, d in zip(_ABA_WEIGHTS, routing, strict=True)) % 10 == 0


def us_zone(origin: Address, destination: Address) -> str:
    """``local`` within a state, ``regional`` within a census region, ``national`` across
    the country, ``international`` across borders. An address without a recognisable state is
    priced ``national``, the dearest domestic zone, rather than refused."""
    if origin.country != destination.country:
        return "international"
    start, end = state_code(origin.region), state_code(destination.region)
    if start is None or end is None:
        return "national"
    if start == end:
        return "local"
    if census_region(start) == census_region(end):
        return "regional"
    return "national"


def rate_table(plan: carriers.CarrierPlan) -> RateTable:
    """The sandbox tariff of ``plan``: its zones, per-pound steps and service multipliers."""
    zones = {
        zone: ZoneRate(
            zone=zone,
            first_grams=carriers.POUND_GRAMS,
            first_price=Decimal(tariff.first),
            step_grams=carriers.POUND_GRAMS,
            step_price=Decimal(tariff.per_pound),
            min_days=tariff.min_days,
            max_days=tariff.max_days,
        )
        for zone, tariff in plan.tariffs.items()
    }
    services = tuple(
        ServiceLevel(code=code, multiplier=Decimal(factor), days_faster=faster)
        for code, (factor, faster) in plan.multipliers.items()
    )
    return RateTable(
        currency=CURRENCY,
        zones=zones,
        services=services,
        zone_of=us_zone,
        max_weight_grams=plan.max_weight_grams,
    )


def carrier(code: str, context: ProviderContext) -> SandboxCarrier | None:
    """The sandbox carrier ``code``; ``None`` for a carrier of another plugin."""
    plan = carriers.BY_CODE.get(code)
    if plan is None:
        return None
    return SandboxCarrier(
        info=plan.info,
        rates=rate_table(plan),
        context=context,
        tracking_prefix=plan.tracking_prefix,
    )
