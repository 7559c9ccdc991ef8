"""Money: what the marketplace owes the shop, what it paid out, the statement of a period and
the sales per day as a chart.

Days are the marketplace's local days (a period "1–31 May" in Bangkok is Bangkok's May). The
chart is server-side SVG from ``pasar.charts`` (no script, prints, and carries its data as a
table for screen readers); every number in it is formatted here, in the page's language and
the marketplace's currency rules.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask import request
from flask_babel import get_locale, gettext as _
from markupsafe import Markup

from pasar.charts import bar_chart
from pasar.clock import today_in
from pasar.ledger import payouts, statements
from pasar.ledger import service as ledger
from pasar.ledger.postings import Owner, payable_account
from pasar.money import format_money, from_minor, money
from pasar.orders import service as orders
from pasar.seller_center.blueprint import Form, blp, page, seller_page, shop_id
from pasar.web import current_tenant, db_session

DEFAULT_DAYS = 30
MAX_DAYS = 92  # one bar per day stays readable up to about a quarter
PAYOUTS_SHOWN = 20


def period(form: Form) -> tuple[date, date]:
    """The period asked for (``from``/``to``, local days, both included); the last 30 days by
    default. A period that is reversed or too long is refused naming the field."""
    tenant = current_tenant()
    today = today_in(tenant.config.timezone)
    last = _day(form, "to") or today
    first = _day(form, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        form.refuse("from", _("The first day must not be after the last day."))
    elif (last - first).days >= MAX_DAYS:
        form.refuse("from", _("Choose at most %(days)d days.", days=MAX_DAYS))
    if form.errors:
        return today - timedelta(days=DEFAULT_DAYS - 1), today
    return first, last


def _day(form: Form, field: str) -> date | None:
    text = (form.get(field) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        form.refuse(field, _("Enter a date."))
        return None


def utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The local days ``first``..``last`` as a UTC [start, end) range."""
    zone = ZoneInfo(current_tenant().config.timezone)
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


def money_label(value: Decimal | int) -> str:
    """A chart value (major units of the marketplace's currency) as the page writes money."""
    tenant = current_tenant()
    return format_money(money(Decimal(value), tenant.currency), str(get_locale()), tenant.currency_rules())


def sales_chart(first: date, last: date) -> Markup:
    """Sales per local day of the period as an accessible bar chart."""
    tenant = current_tenant()
    rules, locale = tenant.currency_rules(), str(get_locale())
    days = orders.daily_sales(db_session(), tenant, shop_id(), first, last)
    points = [(format_skeleton("MMMd", day, locale=locale), from_minor(minor, tenant.currency, rules).amount)
              for day, minor in days]
    return bar_chart(points, title=_("Sales per day"), value_label=money_label)


@blp.get("/money", endpoint="money")
@seller_page
def money_page() -> Any:
    """Balance owed, sales per day, the statement of the period and the latest payouts."""
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    form = Form(values=request.args)
    first, last = period(form)
    start, end = utc_bounds(first, last)
    owed_minor = -ledger.balance_minor(session, tenant, payable_account(Owner("seller", seller_id)), tenant.currency)
    found = statements.statement(session, tenant, "seller", seller_id, start, end)
    paid_out = payouts.payouts_of(session, tenant, "seller", seller_id, limit=PAYOUTS_SHOWN)
    return page(
        "seller_center/money.html", 422 if form.errors else 200, area="money", form=form, first=first, last=last,
        balance=from_minor(owed_minor, tenant.currency, tenant.currency_rules()), statement=found,
        payouts=[(p, payouts.amount_of(tenant, p)) for p in paid_out], chart=sales_chart(first, last),
    )
