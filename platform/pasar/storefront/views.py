"""Storefront pages. The home page shows a tenant's marketplace in the buyer's language and
currency; with no tenant (``http://localhost:5000/``) it lists every marketplace."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, g, render_template, request
from flask_babel import get_locale

from pasar.clock import today_in
from pasar.i18n import locale_name
from pasar.money import format_money, money
from pasar.tenancy import service as tenancy
from pasar.web import database, tenant_optional

blp = Blueprint("storefront", __name__, template_folder="../templates")

SAMPLE_PRICE = Decimal("1234567")


@blp.get("/")
@tenant_optional
def home() -> str:
    tenant = g.get("tenant")
    if tenant is None:
        return tenant_index()
    locale = str(get_locale())
    rules = tenant.currency_rules()
    return render_template(
        "storefront/home.html",
        tenant=tenant,
        locale=locale,
        locales=[(code, locale_name(code)) for code in tenant.config.locales],
        sample=format_money(money(SAMPLE_PRICE, tenant.currency), locale, rules),
        features=sorted(tenant.features()),
        methods=tenant.payment_methods(),
        carriers=tenant.carriers(),
        rules=tenant.consumer_rules(today_in(tenant.config.timezone)),
    )


def tenant_index() -> str:
    with database().session(all_tenants=True) as session:
        tenants = tenancy.list_tenants(session)
    port = request.host.partition(":")[2]
    return render_template("storefront/index.html", tenants=tenants, port=port)
