"""Carriers per market (REGIONS §4) and their sandbox tariffs: zones, weight steps, services,
cross-border parcels, cash-on-delivery fees, labels and tracking."""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pluggy
import pytest

from pasar.contracts import Address, Parcel, ProviderContext, ShipmentRequest
from pasar.sandbox import SandboxCarrier
from pasar.sandbox.testing import FakeClock, WebhookRecorder

Sandbox = tuple[ProviderContext, WebhookRecorder, FakeClock]
Registered = Callable[[str, str], list[Any]]

CARRIERS = {
    "GB": ["royal_mail", "evri", "dpd_uk", "yodel", "ups_uk", "dhl_uk", "inpost_uk"],
    "DE": ["dhl_de", "hermes_de", "dpd_de", "gls_de", "ups_de"],
    "FR": ["colissimo", "chronopost", "mondial_relay", "dpd_fr", "gls_fr"],
    "ES": ["correos", "seur", "mrw", "gls_es", "ctt_express"],
    "IT": ["poste_italiane", "brt", "gls_it", "sda", "dhl_it"],
    "IE": ["an_post", "dpd_ie", "gls_ie", "ups_ie", "fastway"],
    "NL": ["postnl", "dhl_nl", "dpd_nl", "gls_nl", "ups_nl"],
}

LONDON = Address("GB", "SW1A 1AA", "England", "London", "1 Sender Street", name="Seller")
CAMDEN = Address("GB", "NW1 8NH", "England", "London", "2 Buyer Road", name="Buyer")
OXFORD = Address("GB", "OX1 1AA", "England", "Oxford", "3 Buyer Road", name="Buyer")
EDINBURGH = Address("GB", "EH1 1AA", "Scotland", "Edinburgh", "4 Buyer Road", name="Buyer")
PARIS = Address("FR", "75001", "Île-de-France", "Paris", "5 rue du Vendeur", name="Vendeur")


def carrier(pm: pluggy.PluginManager, code: str, context: ProviderContext) -> SandboxCarrier:
    answer = pm.hook.pasar_carrier(code=code, context=context)
    assert isinstance(answer, SandboxCarrier)
    return answer


def shipment(
    origin: Address,
    destination: Address,
    grams: int = 1000,
    currency: str = "GBP",
    cod: str | None = None,
    size: tuple[int, int, int] = (20, 15, 10),
) -> ShipmentRequest:
    parcel = Parcel(grams, *size, declared_value=Decimal(40),
                    cod_amount=None if cod is None else Decimal(cod))
    reference = f"ship-{grams}-{destination.city}"
    return ShipmentRequest(reference, origin, destination, parcel, currency)


def prices(quotes: list[Any]) -> dict[str, tuple[Decimal, int, int]]:
    return {q.service: (q.amount, q.min_days, q.max_days) for q in quotes}


@pytest.mark.parametrize("country", sorted(CARRIERS))
def test_each_market_registers_its_main_carriers(registered: Registered, country: str) -> None:
    found = registered("carriers", country)
    assert [c.code for c in found] == CARRIERS[country]
    assert all(c.countries == (country,) and c.services for c in found)


def test_irish_carriers_come_from_the_approved_ship_by_seller_list(registered: Registered) -> None:
    assert all(c.source == ("S93",) for c in registered("carriers", "IE"))


@pytest.mark.parametrize("country", sorted(CARRIERS))
def test_only_spanish_and_italian_networks_collect_cash(
    registered: Registered, country: str
) -> None:
    collects = {c.code for c in registered("carriers", country) if c.cod}
    expected = set(CARRIERS[country]) - {"dhl_it"} if country in ("ES", "IT") else set()
    assert collects == expected


def test_no_carrier_for_a_country_not_served(
    registered: Registered, ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    assert registered("carriers", "VN") == []
    assert ukeu_pm.hook.pasar_carrier(code="jnt_id", context=sandbox[0]) is None


@pytest.mark.parametrize(
    ("destination", "standard", "express"),
    [
        (CAMDEN, ("3.35", 2, 3), ("5.36", 1, 2)),
        (OXFORD, ("3.69", 2, 4), ("5.90", 1, 3)),
        (EDINBURGH, ("4.19", 3, 4), ("6.70", 2, 3)),
    ],
)
def test_royal_mail_prices_by_zone_and_service(
    ukeu_pm: pluggy.PluginManager,
    sandbox: Sandbox,
    destination: Address,
    standard: tuple[str, int, int],
    express: tuple[str, int, int],
) -> None:
    quotes = carrier(ukeu_pm, "royal_mail", sandbox[0]).quote(shipment(LONDON, destination))
    assert prices(quotes) == {
        "standard": (Decimal(standard[0]), standard[1], standard[2]),
        "express": (Decimal(express[0]), express[1], express[2]),
    }


def test_each_started_kilo_and_bulky_parcels_cost_more(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    royal_mail = carrier(ukeu_pm, "royal_mail", sandbox[0])
    heavy = prices(royal_mail.quote(shipment(LONDON, CAMDEN, grams=2500)))
    bulky = prices(royal_mail.quote(shipment(LONDON, CAMDEN, grams=800, size=(40, 30, 30))))
    assert heavy["standard"][0] == Decimal("5.75")  # 3.35 + 2 started kilos × 1.20
    assert bulky["standard"][0] == Decimal("11.75")  # 7.2 kg volumetric: 3.35 + 7 × 1.20


def test_lockers_are_cheaper_than_the_door(ukeu_pm: pluggy.PluginManager, sandbox: Sandbox) -> None:
    quotes = prices(carrier(ukeu_pm, "evri", sandbox[0]).quote(shipment(LONDON, CAMDEN)))
    assert quotes["pickup_point"][0] < quotes["standard"][0] == Decimal("2.99")


def test_parcels_from_abroad_go_only_with_cross_border_carriers(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    request = shipment(PARIS, EDINBURGH)
    dpd = prices(carrier(ukeu_pm, "dpd_uk", sandbox[0]).quote(request))
    assert dpd["standard"] == (Decimal("16.50"), 4, 7)
    assert carrier(ukeu_pm, "royal_mail", sandbox[0]).quote(request) == []


def test_cash_on_delivery_adds_the_carriers_collection_fee(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    madrid = Address("ES", "28001", "Madrid", "Madrid", "Calle Mayor 1", name="Vendedor")
    sevilla = Address("ES", "41001", "Andalucía", "Sevilla", "Calle Sierpes 2", name="Comprador")
    correos = carrier(ukeu_pm, "correos", sandbox[0])
    plain = prices(correos.quote(shipment(madrid, sevilla, currency="EUR")))
    cod = prices(correos.quote(shipment(madrid, sevilla, currency="EUR", cod="50.00")))
    assert plain["standard"][0] == Decimal("5.25")
    assert cod["standard"][0] == Decimal("6.25")  # + 2% of the 50.00 collected


def test_a_carrier_that_collects_no_cash_refuses_a_cod_parcel(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    request = shipment(LONDON, CAMDEN, cod="20.00")
    assert carrier(ukeu_pm, "royal_mail", sandbox[0]).quote(request) == []


def test_a_label_is_tracked_to_delivery_with_signed_webhooks(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    context, recorder, _clock = sandbox
    royal_mail = carrier(ukeu_pm, "royal_mail", context)
    label = royal_mail.create_shipment(shipment(LONDON, EDINBURGH), "express")
    assert re.fullmatch(r"RM\d{12}", label.tracking_number)
    assert (label.amount, label.currency) == (Decimal("6.70"), "GBP")
    for _ in range(4):
        royal_mail.advance(label.tracking_number)
    statuses = [event.status for event in royal_mail.track(label.tracking_number)]
    assert statuses == ["label_created", "picked_up", "in_transit", "out_for_delivery", "delivered"]
    event = royal_mail.verify_webhook(dict(recorder.last().headers), recorder.last().body)
    assert (event.status, event.location) == ("delivered", "Edinburgh, GB")
