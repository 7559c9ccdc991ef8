"""US sales tax facts (REGIONS.md §2b): state base rates, category rules, marketplace-facilitator
laws and a small table of well-known local rates.

Prices are shown tax-exclusive and tax is added at checkout; the destination state decides the
rate. Every state with a sales tax has a marketplace-facilitator law, so the platform collects
for its third-party sellers (REGIONS: the "all states" claim is unverified; the Texas rules are
cited in [S62][S63]).

Dates: REGIONS' rate sources are the 2025–2026 tables [S59][S60], so each rate is on file from
1 Jan 2025 (``TABLE_FROM``) until changed. A date outside every period still gets the nearest
rate, and the rule says it was not on file for that day.

Category facts REGIONS does not give (grocery food, over-the-counter medicine, books, digital
products) are marked "unverified" in their notes: they are widely documented state rules that no
source of REGIONS covers, to be checked before they go into a fixture that is hard to change.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import TAX_CATEGORIES

from pasar_us.data.tax_types import CategoryRule, Levy, Locality, RatePeriod, StateTax
from pasar_us.i18n import N_

TABLE_FROM = date(2025, 1, 1)

#: The price below which New York's clothing and footwear exemption applies, per item [S61].
NY_CLOTHING_LIMIT = Decimal("110")


def _levy(name: str, rate: str, source: tuple[str, ...]) -> Levy:
    """A levy with one rate in force from ``TABLE_FROM`` until changed."""
    return Levy(name, (RatePeriod(Decimal(rate), TABLE_FROM, None, source),))


# -- category rules -----------------------------------------------------------------------------

TAXABLE = CategoryRule(taxable=True)
_LUXURY = CategoryRule(True, "no separate luxury rate in US sales tax; the general rate applies")
_BOOKS = CategoryRule(True, "books are taxable like other goods (unverified)")
_GROCERY = CategoryRule(
    False,
    "grocery food exempt; prepared food, candy and soft drinks are sold as standard "
    "(unverified)",
)
_OTC_EXEMPT = CategoryRule(
    False,
    "over-the-counter medicine exempt; 'medicine' means non-prescription drugs, prescriptions "
    "are exempt everywhere (unverified)",
)
_OTC_TAXABLE = CategoryRule(
    True,
    "over-the-counter medicine taxable; 'medicine' means non-prescription drugs, prescriptions "
    "are exempt (unverified)",
)
_DIGITAL_TAXABLE = CategoryRule(True, "digital products (downloads) taxable (unverified)")
_DIGITAL_EXEMPT = CategoryRule(False, "digital products (downloads) not taxed (unverified)")


def _clothing(rule: CategoryRule) -> dict[str, CategoryRule]:
    """The same rule for adults' and children's clothing: no listed state separates them."""
    return {"clothing": rule, "childrens_clothing": rule}


def _rules(**by_category: CategoryRule) -> Mapping[str, CategoryRule]:
    """A full category table: the named rules, ``standard``/``luxury``/``books`` by default."""
    table = {category: TAXABLE for category in TAX_CATEGORIES}
    table.update(luxury=_LUXURY, books=_BOOKS)
    table.update(by_category)
    return MappingProxyType(table)


def _no_sales_tax(why: str) -> Mapping[str, CategoryRule]:
    return MappingProxyType({category: CategoryRule(False, why) for category in TAX_CATEGORIES})


# -- the states ---------------------------------------------------------------------------------

_STATES: tuple[StateTax, ...] = (
    StateTax(
        code="CA",
        name="California",
        levy=_levy(N_("California state sales tax"), "0.0725", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_TAXABLE,
            digital=_DIGITAL_EXEMPT,
            **_clothing(CategoryRule(True, "clothing taxable")),  # REGIONS §2b (no ID)
        ),
        source=("S56", "S57", "S59"),
        # Citation unverified: AB 147 (2019), Rev. & Tax. Code §§6040-6049.
        marketplace_law="California Marketplace Facilitator Act",
        note="the 7.25% base includes 1% local tax",
    ),
    StateTax(
        code="NY",
        name="New York",
        levy=_levy(N_("New York State sales tax"), "0.04", ("S59", "S60")),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_EXEMPT,
            **_clothing(
                CategoryRule(
                    False,
                    "clothing and footwear under $110 per item exempt from the state tax and "
                    "the MCTD surcharge; NYC also exempts its local tax",
                    ("S61",),
                    exempt_below=NY_CLOTHING_LIMIT,
                    taxed_note="clothing and footwear of $110 or more per item fully taxable",
                )
            ),
        ),
        source=("S56", "S57", "S59", "S60"),
        # Citation unverified: Tax Law §1101(e).
        marketplace_law="New York marketplace provider law",
    ),
    StateTax(
        code="TX",
        name="Texas",
        levy=_levy(N_("Texas state sales tax"), "0.0625", ("S62",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_TAXABLE,
            # The sales-tax holiday exemption is not modelled: REGIONS gives no dates.
            **_clothing(
                CategoryRule(True, "clothing taxable outside the sales tax holiday", ("S62",))
            ),
        ),
        source=("S56", "S62"),
        # Tax Code §151.0242 (the section number is unverified; the rules are [S62][S63]).
        marketplace_law="Texas marketplace provider rules",
        marketplace_note=(
            "marketplace providers may not use the 1.75% single local use tax rate, so local "
            "tax follows the destination"
        ),
        marketplace_source=("S62", "S63"),
    ),
    StateTax(
        code="WA",
        name="Washington",
        levy=_levy(N_("Washington state sales tax"), "0.065", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_TAXABLE,
            digital=_DIGITAL_TAXABLE,
            **_clothing(CategoryRule(True, "clothing taxable")),
        ),
        source=("S56", "S59"),
        # Citation unverified: RCW 82.13.
        marketplace_law="Washington marketplace facilitator law",
    ),
    StateTax(
        code="FL",
        name="Florida",
        levy=_levy(N_("Florida state sales tax"), "0.06", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_EXEMPT,
            **_clothing(CategoryRule(True, "clothing taxable")),
        ),
        source=("S56", "S58", "S59"),
        # Citation unverified: s. 212.05965, F.S..
        marketplace_law="Florida marketplace provider law",
        note="county discretionary surtax (0-2%) not in the local table",
    ),
    StateTax(
        code="PA",
        name="Pennsylvania",
        levy=_levy(N_("Pennsylvania state sales tax"), "0.06", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_TAXABLE,
            **_clothing(
                CategoryRule(
                    False, "most clothing exempt; formal wear and furs taxable (unverified)"
                )
            ),
        ),
        source=("S57", "S59"),
        # Citation unverified: Act 43 of 2017.
        marketplace_law="Pennsylvania marketplace facilitator law",
    ),
    StateTax(
        code="NJ",
        name="New Jersey",
        levy=_levy(N_("New Jersey state sales tax"), "0.06625", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_TAXABLE,
            **_clothing(CategoryRule(False, "clothing exempt; fur clothing taxable (unverified)")),
        ),
        source=("S59",),
        # Citation unverified: P.L. 2018, c. 132.
        marketplace_law="New Jersey marketplace facilitator law",
        has_local_taxes=False,
        note="no general local tax; reduced rates in Urban Enterprise Zones not modelled",
    ),
    StateTax(
        code="MN",
        name="Minnesota",
        levy=_levy(N_("Minnesota state sales tax"), "0.06875", ("S59",)),
        categories=_rules(
            food=_GROCERY,
            medicine=_OTC_EXEMPT,
            digital=_DIGITAL_TAXABLE,
            **_clothing(CategoryRule(False, "clothing exempt; fur clothing taxable (unverified)")),
        ),
        source=("S59",),
        # Citation unverified: Minn. Stat. ch. 297A.
        marketplace_law="Minnesota marketplace provider law",
        note="Minnesota local taxes are not in the local table",
    ),
    # No general sales tax: the seller owes nothing to collect and no facilitator rule applies.
    # DE and MT are marked verified in REGIONS without an ID; S59 is its rate table.
    StateTax("OR", "Oregon", None, _no_sales_tax("Oregon has no sales tax"), ("S58", "S59")),
    StateTax(
        "DE",
        "Delaware",
        None,
        _no_sales_tax("Delaware has no sales tax (sellers pay a gross receipts tax; unverified)"),
        ("S59",),
    ),
    StateTax(
        "MT",
        "Montana",
        None,
        _no_sales_tax("Montana has no general sales tax (resort-area taxes unverified)"),
        ("S59",),
    ),
    StateTax(
        "NH",
        "New Hampshire",
        None,
        _no_sales_tax("New Hampshire has no general sales tax"),
        ("S59",),
    ),
    StateTax(
        "AK",
        "Alaska",
        None,
        _no_sales_tax(
            "Alaska has no state sales tax; local sales taxes collected through the ARSSTC "
            "are not in the local table"
        ),
        ("S56",),
        note="local ARSSTC taxes apply from a $100,000 remote-seller threshold",
    ),
)

STATES: Mapping[str, StateTax] = MappingProxyType({state.code: state for state in _STATES})


# -- well-known local rates -------------------------------------------------------------------

_MCTD = _levy(
    N_("Metropolitan Commuter Transportation District surcharge"), "0.00375", ("S60", "S61")
)

_LOCALITIES: tuple[Locality, ...] = (
    # 4% state + 4.5% city + 0.375% MCTD = 8.875% [S59][S60].
    Locality(
        state="NY",
        name="New York City",
        aliases=("new york city", "new york", "nyc", "manhattan", "brooklyn", "queens",
                 "bronx", "the bronx", "staten island"),
        levies=(_levy(N_("New York City sales tax"), "0.045", ("S59", "S60")), _MCTD),
    ),  # fmt: skip
    # REGIONS lists the Philadelphia 2% and Allegheny County 1% add-ons without a source ID.
    Locality(
        state="PA",
        name="Philadelphia",
        aliases=("philadelphia",),
        levies=(_levy(N_("Philadelphia local sales tax"), "0.02", ("S59",)),),
        note="local rate unverified",
    ),
    Locality(
        state="PA",
        name="Pittsburgh (Allegheny County)",
        aliases=("pittsburgh", "allegheny county"),
        levies=(_levy(N_("Allegheny County local sales tax"), "0.01", ("S59",)),),
        note="local rate unverified",
    ),
    # Texas local tax is capped at 2% (8.25% combined) [S62]; that these cities levy the full
    # 2% is unverified.
    *(
        Locality(
            state="TX",
            name=city,
            aliases=(city.casefold(),),
            levies=(_levy(N_("Texas local sales tax"), "0.02", ("S62",)),),
            note="city at the 2% local cap (unverified)",
        )
        for city in ("Houston", "Austin", "Dallas")
    ),
    # REGIONS gives no city figure for Los Angeles (CA combined rates up to ~10.75% [S59]).
    # Unverified, from news reports of LA County Measure A: 9.5% combined, 9.75% from 1 Apr 2025.
    Locality(
        state="CA",
        name="Los Angeles",
        aliases=("los angeles", "la", "city of los angeles"),
        levies=(
            Levy(
                N_("California district taxes"),
                (
                    RatePeriod(Decimal("0.0225"), TABLE_FROM, date(2025, 3, 31), ("S59",)),
                    RatePeriod(Decimal("0.025"), date(2025, 4, 1), None, ("S59",)),
                ),
            ),
        ),
        note="district rate unverified",
    ),
    # REGIONS gives WA local rates of ~0.5-3.9% [S59]; Seattle's 3.85% (10.35% combined) is
    # unverified.
    Locality(
        state="WA",
        name="Seattle",
        aliases=("seattle",),
        levies=(_levy(N_("Washington local sales tax"), "0.0385", ("S59",)),),
        note="local rate unverified",
    ),
)

#: (state code, normalised city name) -> locality.
LOCALITIES: Mapping[tuple[str, str], Locality] = MappingProxyType(
    {(place.state, alias): place for place in _LOCALITIES for alias in place.aliases}
)


def normalise_city(city: str) -> str:
    """Case, dots and spacing do not matter: ``"  New  York  City "`` and ``"n.y.c."`` match."""
    return " ".join(city.replace(".", "").split()).casefold()
