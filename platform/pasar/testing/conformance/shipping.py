"""Checks of carriers: registration, and quote, label, tracking and signed webhooks for a
domestic parcel through a sandbox ``ProviderContext`` in memory."""
from __future__ import annotations

from decimal import Decimal

import pluggy

from pasar.contracts import (
    Address,
    Carrier,
    CarrierInfo,
    CountryInfo,
    Parcel,
    Shipment,
    ShipmentRequest,
    ShippingQuote,
    TrackingEvent,
)
from pasar.sandbox.testing import WebhookRecorder
from pasar.testing.conformance._support import (
    CODE_PATTERN,
    currency_rules,
    expect,
    expect_refused,
    is_whole_units,
    registered,
    sandbox_context,
    sent_webhooks,
    tampered,
)


def carriers(pm: pluggy.PluginManager, country: CountryInfo) -> list[CarrierInfo]:
    return registered(pm.hook.pasar_register_carriers, country.code)


def check_carriers(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """At least one carrier; unique codes; each delivers in the country and has services."""
    found = carriers(pm, country)
    code = country.code
    expect(bool(found), f"{code}: no carrier is registered")
    codes = [getattr(info, "code", None) for info in found]
    expect(len(codes) == len(set(codes)), f"{code}: carrier codes repeat: {codes}")
    for info in found:
        expect(isinstance(info, CarrierInfo), f"{code}: {info!r} is not a CarrierInfo")
        where = f"{code} carrier {info.code!r}"
        expect(CODE_PATTERN.fullmatch(info.code) is not None, f"{where}: code is not snake_case")
        expect(code in info.countries, f"{where}: countries {info.countries}")
        expect(bool(info.services), f"{where}: no services")


def domestic_parcel(country: CountryInfo, reference: str) -> ShipmentRequest:
    """A 1 kg parcel between two cities of the country."""
    return ShipmentRequest(
        reference=reference,
        origin=Address(country=country.code, region="Origin Province", city="Origin City",
                       line1="1 Sender Street", name="Seller"),
        destination=Address(country=country.code, region="Destination Province",
                            city="Destination City", line1="2 Buyer Road", name="Buyer"),
        parcel=Parcel(weight_grams=1000, length_cm=20, width_cm=15, height_cm=10,
                      declared_value=Decimal(10)),
        currency=country.currency,
    )


def check_carrier(pm: pluggy.PluginManager, country: CountryInfo, code: str) -> None:
    """The carrier quotes a domestic parcel, ships it, tracks it, and signs its webhooks."""
    info = next(item for item in carriers(pm, country) if item.code == code)
    where = f"{country.code} carrier {code!r}"
    context, recorder = sandbox_context()
    carrier = pm.hook.pasar_carrier(code=code, context=context)
    expect(isinstance(carrier, Carrier), f"pasar_carrier({code!r}) answered {carrier!r}")
    expect(carrier.info.code == code, f"{where}: the carrier calls itself {carrier.info.code!r}")
    request = domestic_parcel(country, f"conformance-{code}")
    quotes = carrier.quote(request)
    expect(isinstance(quotes, list) and bool(quotes), f"{where}: no quote for a 1 kg parcel")
    digits = currency_rules(pm, country).display_minor_units
    for quote in quotes:
        _check_shipping_quote(quote, info, country, digits, where)
    shipment = carrier.create_shipment(request, quotes[0].service)
    _check_shipment(shipment, quotes[0], where)
    events = carrier.track(shipment.tracking_number)
    expect(isinstance(events, list) and bool(events), f"{where}: no tracking event for a label")
    for event in events:
        expect(isinstance(event, TrackingEvent), f"{where}: {event!r} is not a TrackingEvent")
        expect(event.tracking_number == shipment.tracking_number, f"{where}: another parcel")
    _check_tracking_webhooks(carrier, recorder, shipment.tracking_number, where)


def _check_shipping_quote(
    quote: ShippingQuote, info: CarrierInfo, country: CountryInfo, digits: int, where: str
) -> None:
    expect(isinstance(quote, ShippingQuote), f"{where}: {quote!r} is not a ShippingQuote")
    label = f"{where} {quote.service!r}"
    expect(quote.carrier == info.code, f"{label}: quote names carrier {quote.carrier!r}")
    expect(quote.service in info.services, f"{label}: not a service of {info.services}")
    expect(quote.currency == country.currency, f"{label}: quoted in {quote.currency}")
    expect(quote.amount > 0, f"{label}: amount {quote.amount} is not positive")
    expect(is_whole_units(quote.amount, digits), f"{label}: amount {quote.amount} too precise")
    days = f"{quote.min_days}..{quote.max_days}"
    expect(0 <= quote.min_days <= quote.max_days, f"{label}: transit days {days}")


def _check_shipment(shipment: Shipment, quote: ShippingQuote, where: str) -> None:
    expect(isinstance(shipment, Shipment), f"{where}: create_shipment answered {shipment!r}")
    expect(shipment.carrier == quote.carrier, f"{where}: shipment by {shipment.carrier!r}")
    expect(shipment.service == quote.service, f"{where}: shipment service {shipment.service!r}")
    expect(bool(shipment.tracking_number), f"{where}: no tracking number")
    expect(bool(shipment.label_url), f"{where}: no label URL")


def _check_tracking_webhooks(
    carrier: Carrier, recorder: WebhookRecorder, tracking_number: str, where: str
) -> None:
    for webhook in sent_webhooks(recorder, "shipping"):
        event = carrier.verify_webhook(dict(webhook.headers), webhook.body)
        expect(isinstance(event, TrackingEvent), f"{where}: verify_webhook answered {event!r}")
        expect(event.tracking_number == tracking_number, f"{where}: webhook of another parcel")
        expect_refused(carrier.verify_webhook, webhook.headers, tampered(webhook.body), where)
    expect_refused(carrier.verify_webhook, {}, b"{}", where)
