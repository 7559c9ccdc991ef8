"""Marketplace withholding on sellers' turnover: ID PPh 22, PH RR 16-2023, VN Decree 117
(REGIONS §2a, pitfall 8)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import Withholding, WithholdingContext


def withheld(pm: pluggy.PluginManager, **fields: object) -> list[Withholding]:
    """Everything the plugin withholds, flattened over the collected answers."""
    answers = pm.hook.pasar_marketplace_withholding(context=WithholdingContext(**fields))
    return [item for answer in answers for item in answer]


def test_id_pph22_is_half_a_percent_of_gross_from_14_july_2025(pm: pluggy.PluginManager) -> None:
    items = withheld(
        pm,
        country="ID",
        currency="IDR",
        on=date(2025, 7, 14),
        gross=Decimal(10_000_001),
        annual_turnover=Decimal(900_000_000),
    )
    assert [(item.name, item.rate, item.amount) for item in items] == [
        ("PPh 22", Decimal("0.005"), Decimal(50000))  # 50,000.005 rounds to the rupiah
    ]
    assert items[0].source == ("S14", "S15")


def test_id_pph22_does_not_apply_before_pmk_37(pm: pluggy.PluginManager) -> None:
    items = withheld(
        pm,
        country="ID",
        currency="IDR",
        on=date(2025, 7, 13),
        gross=Decimal(10_000_000),
        annual_turnover=Decimal(900_000_000),
    )
    assert items == []


@pytest.mark.parametrize(
    ("turnover", "statement", "count"),
    [
        (500_000_000, True, 0),  # small and filed the statement: exempt
        (500_000_000, False, 1),  # small without the statement: withheld
        (500_000_001, True, 1),  # above the threshold the statement does not help
    ],
)
def test_id_small_sellers_are_exempt_only_with_the_statement(
    pm: pluggy.PluginManager, turnover: int, statement: bool, count: int
) -> None:
    items = withheld(
        pm,
        country="ID",
        currency="IDR",
        on=date(2025, 9, 1),
        gross=Decimal(1_000_000),
        annual_turnover=Decimal(turnover),
        exemption_statement=statement,
    )
    assert len(items) == count


def test_id_pph22_is_for_domestic_sellers(pm: pluggy.PluginManager) -> None:
    items = withheld(
        pm,
        country="ID",
        currency="IDR",
        on=date(2025, 9, 1),
        gross=Decimal(1_000_000),
        annual_turnover=Decimal(900_000_000),
        seller_resident=False,
    )
    assert items == []


@pytest.mark.parametrize(("turnover", "amount"), [(500_000, None), (500_001, "50.00")])
def test_ph_withholds_1_percent_of_half_the_gross_above_php_500k(
    pm: pluggy.PluginManager, turnover: int, amount: str | None
) -> None:
    items = withheld(
        pm,
        country="PH",
        currency="PHP",
        on=date(2025, 3, 1),
        gross=Decimal("10000.00"),
        annual_turnover=Decimal(turnover),
    )
    if amount is None:
        assert items == []
    else:
        assert [(item.rate, item.amount) for item in items] == [(Decimal("0.005"), Decimal(amount))]
        assert items[0].source == ("S38", "S39")


@pytest.mark.parametrize(
    ("kind", "resident", "expected"),
    [
        ("household", True, [("VAT", "0.01", 10000), ("PIT", "0.005", 5000)]),
        ("individual", True, [("VAT", "0.01", 10000), ("PIT", "0.005", 5000)]),
        ("individual", False, [("VAT", "0.01", 10000), ("PIT", "0.01", 10000)]),
        ("business", True, []),
    ],
)
def test_vn_withholds_vat_and_pit_for_household_and_individual_sellers(
    pm: pluggy.PluginManager, kind: str, resident: bool, expected: list[tuple[str, str, int]]
) -> None:
    items = withheld(
        pm,
        country="VN",
        currency="VND",
        on=date(2025, 7, 1),
        gross=Decimal(1_000_000),
        seller_kind=kind,
        seller_resident=resident,
    )
    assert [(i.name, i.rate, i.amount) for i in items] == [
        (name, Decimal(rate), Decimal(amount)) for name, rate, amount in expected
    ]


def test_vn_decree_117_starts_on_1_july_2025(pm: pluggy.PluginManager) -> None:
    items = withheld(
        pm,
        country="VN",
        currency="VND",
        on=date(2025, 6, 30),
        gross=Decimal(1_000_000),
        seller_kind="household",
    )
    assert items == []


@pytest.mark.parametrize(("country", "currency"), [("MY", "MYR"), ("TH", "THB"), ("SG", "SGD")])
def test_countries_without_a_withholding_rule_withhold_nothing(
    pm: pluggy.PluginManager, country: str, currency: str
) -> None:
    items = withheld(
        pm,
        country=country,
        currency=currency,
        on=date(2025, 9, 1),
        gross=Decimal("10000.00"),
        seller_kind="individual",
        annual_turnover=Decimal(10_000_000),
    )
    assert items == []
