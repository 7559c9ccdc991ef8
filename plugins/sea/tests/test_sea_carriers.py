"""Carriers per country (REGIONS §4): registration, quotes in local currency, labels and
tracking through the sandbox, cash on delivery where the market has it."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import Address, CarrierInfo, Parcel, ShipmentRequest
from pasar.sandbox import SandboxCarrier
from pasar.sandbox.testing import memory_context

Carriers = Callable[[str], dict[str, CarrierInfo]]

EXPECTED = {
    "ID": {"jnt_id", "jne", "sicepat", "ninja_xpress", "anteraja", "pos_id"},
    "MY": {"jnt_my", "ninjavan_my", "poslaju", "flash_my", "citylink"},
    "TH": {"flash_th", "kex", "jnt_th", "thailand_post"},
    "VN": {"ghn", "ghtk", "viettel_post", "jnt_vn"},
    "PH": {"jnt_ph", "lbc", "ninjavan_ph", "flash_ph"},
    "SG": {"singpost", "ninjavan_sg", "jnt_sg", "qxpress"},
}


@pytest.mark.parametrize("country", sorted(EXPECTED))
def test_each_country_registers_its_carriers(carriers_of: Carriers, country: str) -> None:
    carriers = carriers_of(country)
    assert set(carriers) == EXPECTED[country]
    assert all(info.countries == (country,) for info in carriers.values())


def test_singapore_carriers_do_not_collect_cash(carriers_of: Carriers) -> None:
    assert not any(info.cod for info in carriers_of("SG").values())


@pytest.mark.parametrize("country", ["ID", "TH", "VN", "PH"])
def test_carriers_collect_cash_where_cod_exists(carriers_of: Carriers, country: str) -> None:
    assert all(info.cod for info in carriers_of(country).values())


def test_no_carriers_outside_the_region(carriers_of: Carriers) -> None:
    assert carriers_of("FR") == {}


def _carrier(pm: pluggy.PluginManager, code: str) -> SandboxCarrier:
    context, _, _ = memory_context()
    carrier = pm.hook.pasar_carrier(code=code, context=context)
    assert isinstance(carrier, SandboxCarrier)
    return carrier


def _request(
    country: str,
    currency: str,
    grams: int,
    cod: str | None = None,
    *,
    origin_city: str = "Jakarta Selatan",
    origin_region: str = "DKI Jakarta",
    city: str = "Bandung",
    region: str = "Jawa Barat",
) -> ShipmentRequest:
    return ShipmentRequest(
        reference="order-1",
        origin=Address(country=country, city=origin_city, region=origin_region),
        destination=Address(country=country, city=city, region=region),
        parcel=Parcel(weight_grams=grams, cod_amount=None if cod is None else Decimal(cod)),
        currency=currency,
    )


def test_jne_quotes_every_service_in_whole_rupiah(pm: pluggy.PluginManager) -> None:
    quotes = _carrier(pm, "jne").quote(_request("ID", "IDR", 2500))
    # National zone: 24,000 for the first kg + 2 started kg × 18,000 = 60,000.
    assert [(q.service, q.amount, q.zone) for q in quotes] == [
        ("economy", Decimal(48000), "national"),
        ("standard", Decimal(60000), "national"),
        ("express", Decimal(90000), "national"),
    ]


def test_cod_fee_on_rupiah_stays_in_whole_rupiah(pm: pluggy.PluginManager) -> None:
    quotes = _carrier(pm, "jnt_id").quote(_request("ID", "IDR", 1000, cod="123457"))
    # 3% of 123,457 = 3,703.71 → 3,704; plus 24,000 national first kg.
    assert quotes[0].amount == Decimal(27704)


def test_a_local_parcel_in_kuala_lumpur_is_priced_in_ringgit(pm: pluggy.PluginManager) -> None:
    request = _request(
        "MY",
        "MYR",
        800,
        origin_city="Kuala Lumpur",
        origin_region="WP Kuala Lumpur",
        city="Kuala Lumpur",
        region="WP Kuala Lumpur",
    )
    standard = _carrier(pm, "poslaju").quote(request)[0]
    assert (standard.zone, standard.amount, standard.currency) == ("local", Decimal("6.00"), "MYR")


def test_a_carrier_without_cod_refuses_a_cash_parcel(pm: pluggy.PluginManager) -> None:
    carrier = _carrier(pm, "singpost")
    request = _request("SG", "SGD", 500, cod="20.00", city="Singapore", region="Singapore")
    assert carrier.quote(request) == []
    with pytest.raises(ValueError, match="cash on delivery"):
        carrier.create_shipment(request, "standard")


def test_a_cod_parcel_is_shipped_tracked_and_reports_the_cash(pm: pluggy.PluginManager) -> None:
    context, recorder, _ = memory_context()
    carrier = pm.hook.pasar_carrier(code="ghn", context=context)
    request = _request(
        "VN",
        "VND",
        1200,
        cod="350000",
        origin_city="Thủ Đức",
        origin_region="TP Hồ Chí Minh",
        city="Hà Nội",
        region="Hà Nội",
    )
    shipment = carrier.create_shipment(request, "standard")
    assert shipment.tracking_number.startswith("GHN")
    assert shipment.amount == Decimal(45500)  # 32,000 + 10,000 + 1% of 350,000
    for _ in range(4):
        carrier.advance(shipment.tracking_number)
    events = carrier.track(shipment.tracking_number)
    assert [e.status for e in events] == [
        "label_created",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert events[-1].cod_collected == Decimal(350000)
    webhook = recorder.last()
    assert carrier.verify_webhook(webhook.headers, webhook.body).status == "delivered"


def test_an_unknown_carrier_code_is_not_ours(pm: pluggy.PluginManager) -> None:
    context, _, _ = memory_context()
    assert pm.hook.pasar_carrier(code="royal_mail", context=context) is None
