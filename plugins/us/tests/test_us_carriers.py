"""US carriers: registration, zones by state, quotes from the USD tariffs, labels, tracking."""
from __future__ import annotations

from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import Address, CarrierInfo, Parcel, ProviderContext, ShipmentRequest
from pasar.sandbox.testing import FakeClock, WebhookRecorder

from pasar_us.data.carriers import SERVICE_NAMES
from pasar_us.providers import us_zone

Sandbox = tuple[ProviderContext, WebhookRecorder, FakeClock]

CARRIERS = ("usps", "ups", "fedex", "ontrac", "lasership", "dhl_ecommerce_us")


def address(state: str, city: str = "Springfield", country: str = "US") -> Address:
    return Address(country=country, region=state, city=city, line1="1 Main St", name="Someone")


def request(origin: str, destination: str, grams: int = 1000, **parcel: object) -> ShipmentRequest:
    return ShipmentRequest(
        reference=f"ship-{origin}-{destination}-{grams}",
        origin=address(origin),
        destination=address(destination),
        parcel=Parcel(weight_grams=grams, **parcel),  # type: ignore[arg-type]
        currency="USD",
    )


def registered(pm: pluggy.PluginManager, country: str) -> dict[str, CarrierInfo]:
    found: list[CarrierInfo] = []
    pm.hook.pasar_register_carriers(register=found.append, country=country)
    return {info.code: info for info in found}


def test_us_carriers_are_registered_without_cash_on_delivery(pm: pluggy.PluginManager) -> None:
    found = registered(pm, "US")
    assert tuple(found) == CARRIERS
    assert not any(info.cod for info in found.values())
    assert all(info.source == ("S94",) for info in found.values())
    assert registered(pm, "DE") == {}


def test_every_service_has_a_display_name(pm: pluggy.PluginManager) -> None:
    services = {s for info in registered(pm, "US").values() for s in info.services}
    assert services <= set(SERVICE_NAMES)


@pytest.mark.parametrize(
    ("origin", "destination", "zone"),
    [
        (address("CA", "Los Angeles"), address("CA", "San Francisco"), "local"),
        (address("California"), address("ca"), "local"),
        (address("NY"), address("PA"), "regional"),
        (address("TX"), address("FL"), "regional"),
        (address("CA"), address("NY"), "national"),
        (address("WA"), address("AK"), "national"),
        (address("CA"), address("HI"), "national"),
        (address("CA"), address("Ontario", country="CA"), "international"),
        (address("CA"), address("Nowhere Province"), "national"),
    ],
)
def test_zone_compares_origin_and_destination_states(
    origin: Address, destination: Address, zone: str
) -> None:
    assert us_zone(origin, destination) == zone


def test_usps_quotes_every_service_by_zone_and_weight(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    usps = pm.hook.pasar_carrier(code="usps", context=sandbox[0])
    quotes = {q.service: q for q in usps.quote(request("NY", "CA", grams=1000))}
    # 1000 g = the first pound plus 2 started pounds: 7.45 + 2 × 1.55 = 10.55 (national).
    assert quotes["standard"].amount == Decimal("10.55")
    assert quotes["express"].amount == Decimal("19.52")  # 10.55 × 1.85, half up
    assert quotes["overnight"].amount == Decimal("41.15")  # 10.55 × 3.9, half up
    assert {q.zone for q in quotes.values()} == {"national"}
    assert (quotes["standard"].min_days, quotes["standard"].max_days) == (3, 5)
    assert (quotes["overnight"].min_days, quotes["overnight"].max_days) == (1, 3)


def test_local_parcel_is_cheaper_than_a_national_one(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    ups = pm.hook.pasar_carrier(code="ups", context=sandbox[0])
    local = ups.quote(request("TX", "TX"))[0]
    national = ups.quote(request("TX", "WA"))[0]
    assert (local.zone, national.zone) == ("local", "national")
    assert local.amount < national.amount


def test_bulky_light_parcel_is_charged_by_volume(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    fedex = pm.hook.pasar_carrier(code="fedex", context=sandbox[0])
    heavy = fedex.quote(request("NJ", "NJ", grams=5200))[0]
    bulky = fedex.quote(request("NJ", "NJ", grams=500, length_cm=50, width_cm=40, height_cm=13))[0]
    assert bulky.amount == heavy.amount  # 50 × 40 × 13 cm³ / 5000 = 5.2 kg


def test_carriers_refuse_international_cash_on_delivery_and_overweight_parcels(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    dhl = pm.hook.pasar_carrier(code="dhl_ecommerce_us", context=sandbox[0])
    abroad = ShipmentRequest("x-1", address("CA"), address("ON", country="CA"),
                             Parcel(weight_grams=500), "USD")
    assert dhl.quote(abroad) == []
    assert dhl.quote(request("CA", "CA", cod_amount=Decimal("20.00"))) == []
    assert dhl.quote(request("CA", "CA", grams=12000)) == []  # over DHL eCommerce's 25 lb
    assert dhl.unserviceable(abroad) == "dhl_ecommerce_us does not deliver to CA"


def test_label_tracking_and_signed_webhooks(pm: pluggy.PluginManager, sandbox: Sandbox) -> None:
    context, recorder, _ = sandbox
    ups = pm.hook.pasar_carrier(code="ups", context=context)
    shipment = ups.create_shipment(request("PA", "NY"), "express")
    assert shipment.tracking_number.startswith("1Z")
    assert shipment.label_url
    for _ in range(4):
        ups.advance(shipment.tracking_number)
    assert [e.status for e in ups.track(shipment.tracking_number)] == [
        "label_created", "picked_up", "in_transit", "out_for_delivery", "delivered"
    ]
    last = recorder.last()
    assert ups.verify_webhook(dict(last.headers), last.body).status == "delivered"


def test_unknown_carrier_code_gets_no_carrier(pm: pluggy.PluginManager, sandbox: Sandbox) -> None:
    assert pm.hook.pasar_carrier(code="royal_mail", context=sandbox[0]) is None
