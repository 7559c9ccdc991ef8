"""The sandbox carrier quotes like a tariff, issues labels and reports a parcel's journey."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

import pytest

from pasar.contracts import (
    Address,
    Carrier,
    CarrierInfo,
    Parcel,
    ShipmentRequest,
    WebhookError,
)
from pasar.sandbox import RateTable, SandboxCarrier, ServiceLevel, ZoneRate, default_zone, signing
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context

INFO = CarrierInfo(
    code="testship",
    name="Test Ship",
    countries=("ID",),
    services=("standard", "express"),
    cod=True,
)
RATES = RateTable(
    currency="IDR",
    zones={
        "local": ZoneRate("local", 1000, Decimal(10000), 1000, Decimal(5000), 1, 2),
        "national": ZoneRate("national", 1000, Decimal(20000), 500, Decimal(7000), 3, 5),
    },
    services=(
        ServiceLevel("standard", Decimal(1)),
        ServiceLevel("express", Decimal("1.5"), days_faster=1),
    ),
    cod_fee_rate=Decimal("0.02"),
)
SELLER = Address(country="ID", region="DKI Jakarta", city="Jakarta", name="Seller")
SAME_CITY = Address(country="ID", region="DKI Jakarta", city="jakarta ", name="Buyer")
OTHER_ISLAND = Address(country="ID", region="Bali", city="Denpasar", name="Buyer")


@dataclass
class Sandbox:
    carrier: SandboxCarrier
    webhooks: WebhookRecorder
    clock: FakeClock


@pytest.fixture
def sandbox() -> Sandbox:
    context, webhooks, clock = memory_context()
    carrier = SandboxCarrier(info=INFO, rates=RATES, context=context, tracking_prefix="TS")
    return Sandbox(carrier, webhooks, clock)


def ship(
    grams: int = 800,
    destination: Address = SAME_CITY,
    cod: Decimal | None = None,
    dimensions: tuple[int, int, int] = (0, 0, 0),
    reference: str = "order_1",
) -> ShipmentRequest:
    length, width, height = dimensions
    parcel = Parcel(grams, length, width, height, cod_amount=cod)
    return ShipmentRequest(reference, SELLER, destination, parcel, "IDR")


def prices(sandbox: Sandbox, request: ShipmentRequest) -> dict[str, Decimal]:
    return {quote.service: quote.amount for quote in sandbox.carrier.quote(request)}


# -- zones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("destination", "zone"),
    [
        (Address(country="ID", region="DKI Jakarta", city="JAKARTA"), "local"),
        (Address(country="ID", region="dki jakarta", city="Bekasi"), "regional"),
        (Address(country="ID", region="Bali", city="Denpasar"), "national"),
        (Address(country="MY", region="DKI Jakarta", city="Jakarta"), "international"),
    ],
)
def test_default_zone_compares_country_region_and_city(destination: Address, zone: str) -> None:
    assert default_zone(SELLER, destination) == zone


def test_empty_cities_and_regions_do_not_make_a_parcel_local() -> None:
    assert default_zone(Address(country="ID"), Address(country="ID")) == "national"


# -- prices -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grams", "price"),
    [(800, 10000), (1000, 10000), (1001, 15000), (2500, 20000), (3000, 20000)],
)
def test_each_started_step_beyond_the_first_band_is_charged(grams: int, price: int) -> None:
    assert RATES.zones["local"].price(grams) == Decimal(price)


def test_a_quote_per_service_with_the_service_multiplier_and_days(sandbox: Sandbox) -> None:
    quotes = sandbox.carrier.quote(ship())

    assert [(q.service, q.amount, q.min_days, q.max_days) for q in quotes] == [
        ("standard", Decimal(10000), 1, 2),
        ("express", Decimal(15000), 0, 1),
    ]
    assert {(q.carrier, q.currency, q.zone) for q in quotes} == {("testship", "IDR", "local")}


def test_a_farther_zone_costs_more(sandbox: Sandbox) -> None:
    assert prices(sandbox, ship(1600, OTHER_ISLAND))["standard"] == Decimal(34000)


def test_a_bulky_parcel_is_charged_by_volumetric_weight(sandbox: Sandbox) -> None:
    bulky = ship(500, dimensions=(30, 20, 20))  # 12 000 cm³ / 5000 = 2.4 kg

    assert RATES.chargeable_grams(bulky.parcel) == 2400
    assert prices(sandbox, bulky)["standard"] == Decimal(20000)


def test_a_heavy_small_parcel_is_charged_by_actual_weight() -> None:
    assert RATES.chargeable_grams(Parcel(2600, 10, 10, 10)) == 2600


def test_cash_on_delivery_adds_the_collection_fee(sandbox: Sandbox) -> None:
    assert prices(sandbox, ship(cod=Decimal(200000)))["standard"] == Decimal(14000)


def test_amounts_round_half_up_to_cents() -> None:
    rate = ZoneRate("local", 1000, Decimal("3.35"), 1000, Decimal(1), 1, 2)
    table = replace(RATES, zones={"local": rate}, currency="EUR")

    assert table.base_price(rate, 500, ServiceLevel("express", Decimal("1.5"))) == Decimal("5.03")


@pytest.mark.parametrize(
    "request_",
    [
        ship(destination=Address(country="MY", city="Kuala Lumpur")),  # not served
        ship(30001),  # over the weight limit
        ship(1000, dimensions=(100, 100, 20)),  # 40 kg volumetric
        ship(destination=Address(country="ID", region="DKI Jakarta", city="Bekasi")),  # no zone
        replace(ship(), currency="USD"),
    ],
)
def test_no_quote_when_the_carrier_cannot_take_the_parcel(
    sandbox: Sandbox, request_: ShipmentRequest
) -> None:
    assert sandbox.carrier.quote(request_) == []
    with pytest.raises(ValueError):
        sandbox.carrier.create_shipment(request_, "standard")


def test_a_carrier_without_cash_on_delivery_does_not_quote_cod_parcels() -> None:
    context, _, _ = memory_context()
    carrier = SandboxCarrier(
        info=replace(INFO, cod=False), rates=RATES, context=context, tracking_prefix="TS"
    )

    assert carrier.quote(ship(cod=Decimal(100000))) == []
    assert len(carrier.quote(ship())) == 2


def test_a_plugin_may_zone_by_its_own_rule() -> None:
    context, _, _ = memory_context()
    island_rates = replace(RATES, zone_of=lambda origin, destination: "national")
    carrier = SandboxCarrier(info=INFO, rates=island_rates, context=context, tracking_prefix="TS")

    assert {q.zone for q in carrier.quote(ship())} == {"national"}


def test_a_service_without_a_price_is_refused_when_the_carrier_is_built() -> None:
    context, _, _ = memory_context()

    with pytest.raises(ValueError, match="same_day"):
        SandboxCarrier(
            info=replace(INFO, services=("standard", "same_day")),
            rates=RATES,
            context=context,
            tracking_prefix="TS",
        )


# -- shipments --------------------------------------------------------------------------------


def test_carrier_satisfies_the_carrier_protocol(sandbox: Sandbox) -> None:
    assert isinstance(sandbox.carrier, Carrier)


def test_a_shipment_gets_a_tracking_number_label_and_first_event(sandbox: Sandbox) -> None:
    shipment = sandbox.carrier.create_shipment(ship(), "express")

    assert re.fullmatch(r"TS\d{12}", shipment.tracking_number)
    assert shipment.label_url == (
        f"http://test.localhost:5000/sandbox/test/labels/testship/{shipment.tracking_number}"
    )
    assert (shipment.carrier, shipment.service) == ("testship", "express")
    assert (shipment.amount, shipment.currency) == (Decimal(15000), "IDR")
    [event] = sandbox.carrier.track(shipment.tracking_number)
    assert (event.status, event.occurred_at) == ("label_created", sandbox.clock())
    assert sandbox.webhooks.types() == ["tracking.updated"]


def test_creating_a_shipment_twice_for_one_order_returns_the_same_label(sandbox: Sandbox) -> None:
    first = sandbox.carrier.create_shipment(ship(), "standard")
    second = sandbox.carrier.create_shipment(ship(), "standard")

    assert second == first
    assert len(sandbox.webhooks.sent) == 1


def test_a_second_label_of_another_service_for_one_order_is_refused(sandbox: Sandbox) -> None:
    sandbox.carrier.create_shipment(ship(), "standard")

    with pytest.raises(ValueError, match="already has a standard label"):
        sandbox.carrier.create_shipment(ship(), "express")


def test_an_unknown_service_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="no service 'overnight'"):
        sandbox.carrier.create_shipment(ship(), "overnight")


def test_tracking_an_unknown_number_is_a_key_error(sandbox: Sandbox) -> None:
    with pytest.raises(KeyError):
        sandbox.carrier.track("TS000000000000")


def test_the_label_has_what_a_printed_label_needs(sandbox: Sandbox) -> None:
    shipment = sandbox.carrier.create_shipment(ship(500, cod=Decimal(75000)), "standard")

    label = sandbox.carrier.label_data(shipment.tracking_number)

    assert label["carrier"] == "Test Ship"
    assert label["service"] == "standard"
    assert label["tracking_number"] == shipment.tracking_number
    assert label["origin"]["name"] == "Seller"
    assert label["destination"]["city"] == "jakarta "
    assert label["weight_grams"] == 500
    assert label["cod_amount"] == "75000"


# -- tracking ---------------------------------------------------------------------------------


def test_advancing_walks_the_parcel_to_delivery_with_a_webhook_per_scan(
    sandbox: Sandbox,
) -> None:
    number = sandbox.carrier.create_shipment(ship(destination=OTHER_ISLAND), "standard")
    tracking = number.tracking_number

    statuses = [sandbox.carrier.advance(tracking).status for _ in range(4)]

    assert statuses == ["picked_up", "in_transit", "out_for_delivery", "delivered"]
    assert [e.status for e in sandbox.carrier.track(tracking)] == ["label_created", *statuses]
    scans = [body["data"] for body in sandbox.webhooks.of_type("tracking.updated")]
    assert [scan["status"] for scan in scans] == ["label_created", *statuses]
    assert scans[-1]["location"] == "Denpasar, ID"
    assert scans[-1]["cod_collected"] is None


def test_delivering_a_cod_parcel_reports_the_cash_collected(sandbox: Sandbox) -> None:
    tracking = sandbox.carrier.create_shipment(ship(cod=Decimal(75000)), "standard").tracking_number
    for _ in range(3):
        assert sandbox.carrier.advance(tracking).cod_collected is None

    delivered = sandbox.carrier.advance(tracking)

    assert (delivered.status, delivered.cod_collected) == ("delivered", Decimal(75000))
    assert sandbox.webhooks.of_type("tracking.updated")[-1]["data"]["cod_collected"] == "75000"


def test_a_failed_attempt_is_followed_by_another_delivery_round(sandbox: Sandbox) -> None:
    tracking = sandbox.carrier.create_shipment(ship(), "standard").tracking_number
    for _ in range(3):
        sandbox.carrier.advance(tracking)

    assert sandbox.carrier.advance(tracking, fail=True).status == "failed_attempt"
    assert sandbox.carrier.advance(tracking).status == "out_for_delivery"
    assert sandbox.carrier.advance(tracking).status == "delivered"


def test_a_parcel_only_fails_delivery_while_out_for_delivery(sandbox: Sandbox) -> None:
    tracking = sandbox.carrier.create_shipment(ship(), "standard").tracking_number

    with pytest.raises(ValueError, match="only a parcel out for delivery"):
        sandbox.carrier.advance(tracking, fail=True)


def test_a_delivered_parcel_does_not_move_further(sandbox: Sandbox) -> None:
    tracking = sandbox.carrier.create_shipment(ship(), "standard").tracking_number
    for _ in range(4):
        sandbox.carrier.advance(tracking)

    with pytest.raises(ValueError, match="is delivered"):
        sandbox.carrier.advance(tracking)


def test_a_tracking_webhook_verifies_into_the_stored_event(sandbox: Sandbox) -> None:
    tracking = sandbox.carrier.create_shipment(ship(), "standard").tracking_number
    sandbox.clock.advance(timedelta(hours=3))
    scan = sandbox.carrier.advance(tracking)
    webhook = sandbox.webhooks.last()

    event = sandbox.carrier.verify_webhook(webhook.headers, webhook.body)

    assert (webhook.endpoint, webhook.provider) == ("shipping", "testship")
    assert event == scan
    assert event.event_id == json.loads(webhook.body)["id"]
    assert event == sandbox.carrier.track(tracking)[-1]


def test_a_tracking_webhook_with_a_forged_status_is_refused(sandbox: Sandbox) -> None:
    sandbox.carrier.create_shipment(ship(), "standard")
    webhook = sandbox.webhooks.last()
    forged = webhook.body.replace(b"label_created", b"delivered")

    with pytest.raises(WebhookError, match="does not match"):
        sandbox.carrier.verify_webhook(webhook.headers, forged)


def test_a_signed_tracking_webhook_with_an_unknown_status_is_refused(sandbox: Sandbox) -> None:
    body = json.dumps(
        {
            "id": "evt_1",
            "type": "tracking.updated",
            "created": sandbox.clock().isoformat(),
            "data": {"tracking_number": "TS1", "status": "teleported", "occurred_at": "x"},
        }
    ).encode()
    headers = signing.signed_headers(b"sandbox-secret", body, "evt_1", sandbox.clock())

    with pytest.raises(WebhookError, match="unknown tracking status 'teleported'"):
        sandbox.carrier.verify_webhook(headers, body)
