"""The shop: opening one (registration with KYC documents), its review status and missing
documents, its ship-from address and payout account.

Registration is open to any signed-in user of the marketplace (signed-out visitors go to
sign-in or create an account and come back); the shop waits for an operator's review, and the
user becomes its seller at once, so the next page already shows the seller center.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
# KYC labels and help come from region plugins (their catalogs translate them); the alias keeps
# the kernel's message extractor from collecting them as kernel strings.
from flask_babel import gettext as translate_label
from werkzeug.datastructures import FileStorage

from pasar.contracts import BankAccount, KycRequirements
from pasar.orders import service as orders
from pasar.pages import login_required, web_principal
from pasar.returns import service as returns
from pasar.catalog import service as catalog
from pasar.seller_center.labels import options
from pasar.seller_center.blueprint import (
    Form, blp, commit_or_refuse, current_shop, page, seller_page, settings, shop_id, signed_in, writer,
)
from pasar.sellers import service as sellers
from pasar.sellers.models import BUSINESS_TYPES
from pasar.sellers.storage import MAX_DOCUMENT_BYTES, DocumentStore, uploads_root
from pasar.shipping import service as shipping
from pasar.web import current_tenant, database, db_session

#: Room for the multipart envelope and the text fields around the documents.
_FORM_OVERHEAD = 256 * 1024
#: How many "to do" items the dashboard counts before it says "20+".
DASHBOARD_LIMIT = 20


def document_store() -> DocumentStore:
    return DocumentStore(uploads_root(settings()))


def document_label(kind: str) -> str:
    """A document kind as people read it (``business_licence`` → "Business licence")."""
    return translate_label(kind.replace("_", " ").capitalize())


def kyc_fields(requirements: KycRequirements) -> list[dict[str, Any]]:
    """The plugin's KYC fields with their labels in the page's language."""
    return [{"name": f"kyc.{spec.name}", "label": translate_label(spec.label), "required": spec.required,
             "help": translate_label(spec.help) if spec.help else None, "pattern": spec.pattern}
            for spec in requirements.fields]


# --- registration -------------------------------------------------------------------------------
@blp.route("/register", methods=["GET", "POST"])
@login_required()
def register() -> Any:
    """Open a shop: names, business type, the marketplace's KYC fields, a payout account and
    the documents the marketplace asks for — all stored together or not at all."""
    principal = signed_in()
    if principal.kind != "user":
        abort(403)
    if principal.seller_id is not None:
        return redirect(url_for("seller_center.dashboard"))
    tenant = current_tenant()
    try:
        requirements = sellers.kyc_requirements(tenant)
    except sellers.RegistrationUnavailable:
        return page("seller_center/register_unavailable.html", 409, area="shop")
    form = Form()
    if request.method == "POST":
        form = _posted_within(len(requirements.documents) * MAX_DOCUMENT_BYTES + _FORM_OVERHEAD)
        if not form.errors and _open_shop(form, requirements):
            flash(_("Your shop is registered. An operator reviews it soon."),
                  "success")
            return redirect(url_for("seller_center.dashboard"))
    fields = kyc_fields(requirements)
    return page("seller_center/register.html", 422 if form.errors else 200, area="shop", form=form,
                kyc=fields, documents=[(k, document_label(k)) for k in requirements.documents],
                business_types=options("business_type", BUSINESS_TYPES), max_mib=MAX_DOCUMENT_BYTES // (1024 * 1024),
                placed={"name", "legal_name", "business_type", "bank_account.holder", "bank_account.number",
                        "bank_account.bank_code", *(f["name"] for f in fields),
                        *(f"document.{k}" for k in requirements.documents)})


def _open_shop(form: Form, requirements: KycRequirements) -> bool:
    """Register the shop and store its documents in one transaction; False with ``form.errors``."""
    tenant, principal = current_tenant(), signed_in()
    data = sellers.Registration(
        name=form.get("name"), legal_name=form.get("legal_name"), business_type=form.get("business_type"),
        kyc={spec.name: form.get(f"kyc.{spec.name}") for spec in requirements.fields},
        bank_account=_bank_account(form),
    )
    uploads = _uploads(requirements)
    session = writer()
    with commit_or_refuse(session, form) as done:
        payouts = sellers.payouts_for(database(), settings(), tenant)
        seller = sellers.register_seller(session, tenant, principal.id, data, payouts)
        for kind, upload in uploads.items():
            _store_document(seller.id, kind, upload, f"document.{kind}")
    return done.ok


def _posted_within(allowance: int) -> Form:
    """The posted form, unless the body announces more than ``allowance`` bytes (then no file
    of it is read; Werkzeug is told the limit too, for a body that announced no size)."""
    if request.content_length is not None and request.content_length > allowance:
        return Form(errors={"_form": _("The files are too large: a document may have at most %(mib)d MiB.",
                                       mib=MAX_DOCUMENT_BYTES // (1024 * 1024))})
    request.max_content_length = allowance
    return Form.posted()


def _bank_account(form: Form, prefix: str = "bank_account.") -> BankAccount:
    return BankAccount(holder=form.get(f"{prefix}holder"), number=form.get(f"{prefix}number"),
                       bank_code=form.get(f"{prefix}bank_code") or None)


def _uploads(requirements: KycRequirements) -> dict[str, FileStorage]:
    found = {kind: request.files.get(f"document.{kind}") for kind in requirements.documents}
    return {kind: upload for kind, upload in found.items() if upload is not None and upload.filename}


def _store_document(seller_id: int, kind: str, upload: FileStorage, field: str) -> None:
    """Keep one document; its refusal (type, size) is named after the form's file field."""
    data = upload.stream.read(MAX_DOCUMENT_BYTES + 1)
    try:
        sellers.upload_document(db_session(), current_tenant(), seller_id, kind, upload.filename or "", data,
                                document_store())
    except sellers.InvalidSellerInput as exc:
        renamed = {field if key in ("file", "kind") else key: value for key, value in exc.errors.items()}
        raise sellers.InvalidSellerInput(renamed) from exc


# --- the shop's page ----------------------------------------------------------------------------
@blp.route("/")
@login_required()
def dashboard() -> Any:
    """The shop's status, what it still has to send, and what waits for the seller today. A
    signed-in user without a shop is offered to open one."""
    principal = web_principal()
    if principal is not None and principal.kind == "user" and principal.seller_id is None:
        return redirect(url_for("seller_center.register"))
    return _dashboard()


@seller_page
def _dashboard() -> Any:
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    shop = current_shop()
    to_ship = orders.seller_orders(session, tenant, seller_id, status="paid", limit=DASHBOARD_LIMIT)
    to_label = orders.seller_orders(session, tenant, seller_id, status="ready_to_ship", limit=DASHBOARD_LIMIT)
    waiting_returns = returns.seller_returns(session, tenant, seller_id, "requested")
    products = catalog.seller_products(session, tenant, seller_id, limit=DASHBOARD_LIMIT)
    missing = sellers.missing_documents(tenant, shop)
    return page("seller_center/dashboard.html", area="shop", shop=shop, limit=DASHBOARD_LIMIT,
                to_ship=len(to_ship), to_label=len(to_label), waiting_returns=len(waiting_returns),
                product_count=len(products), missing=[(k, document_label(k)) for k in missing],
                documents=[(d, document_label(d.kind)) for d in shop.documents],
                max_mib=MAX_DOCUMENT_BYTES // (1024 * 1024))


@blp.post("/documents")
@seller_page
def upload_document() -> Any:
    """Send a KYC document the review still needs (or a better scan of one)."""
    if request.content_length is not None and request.content_length > MAX_DOCUMENT_BYTES + _FORM_OVERHEAD:
        flash(_("The file is too large: a document may have at most %(mib)d MiB.",
                mib=MAX_DOCUMENT_BYTES // (1024 * 1024)), "error")
        return redirect(url_for("seller_center.dashboard"))
    request.max_content_length = MAX_DOCUMENT_BYTES + _FORM_OVERHEAD
    upload = request.files.get("file")
    kind = request.form.get("kind", "")
    session = writer()
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("seller_center.dashboard"))
    with commit_or_refuse(session) as done:
        _store_document(shop_id(), kind, upload, "file")
    if done.ok:
        flash(_("Document uploaded."), "success")
    return redirect(url_for("seller_center.dashboard"))


# --- settings: ship-from address, payout account ------------------------------------------------
ADDRESS_FIELDS = tuple(name for name in shipping.ADDRESS_FIELDS if name != "country")


@blp.route("/settings", methods=["GET"])
@seller_page
def shop_settings() -> Any:
    return _settings_page(Form(), Form())


def _settings_page(address_form: Form, bank_form: Form) -> Any:
    tenant = current_tenant()
    shop = current_shop()
    address = shipping.seller_address(db_session(), tenant, shop.id)
    if address is not None and not address_form.values:
        address_form.values = {f"address.{name}": getattr(address, name) or "" for name in ADDRESS_FIELDS}
    status = 422 if address_form.errors or bank_form.errors else 200
    return page("seller_center/settings.html", status, area="shop", shop=shop, address_form=address_form,
                bank_form=bank_form, account=sellers.masked_account(shop), address_fields=_address_labels())


def _address_labels() -> list[tuple[str, str, bool]]:
    names = {"name": _("Name on parcels"), "phone": _("Phone"), "line1": _("Address line 1"),
             "line2": _("Address line 2"), "city": _("City"), "region": _("Region or state"),
             "postal_code": _("Postal code")}
    return [(f"address.{name}", names.get(name, name), name in ("name", "line1", "city"))
            for name in ADDRESS_FIELDS]


@blp.post("/settings/address")
@seller_page
def save_address() -> Any:
    """Where parcels leave from: the origin of quotes and labels."""
    form = Form.posted()
    values = {name: form.get(f"address.{name}") for name in ADDRESS_FIELDS}
    session = writer()
    with commit_or_refuse(session, form) as done:
        shipping.set_seller_address(session, current_tenant(), shop_id(), values)
    if done.ok:
        flash(_("Ship-from address saved."), "success")
        return redirect(url_for("seller_center.shop_settings"))
    form.errors = {f"address.{k}" if k in values else k: v for k, v in form.errors.items()}
    return _settings_page(form, Form())


@blp.post("/settings/bank-account")
@seller_page
def save_bank_account() -> Any:
    """Replace the payout account (checked by the marketplace's payout provider)."""
    form = Form.posted()
    tenant, session = current_tenant(), writer()
    with commit_or_refuse(session, form) as done:
        sellers.update_bank_account(session, tenant, shop_id(), _bank_account(form),
                                    sellers.payouts_for(database(), settings(), tenant),
                                    sellers.Actor("user", signed_in().id))
    if done.ok:
        flash(_("Payout account saved."), "success")
        return redirect(url_for("seller_center.shop_settings"))
    form.errors = {f"bank_account.{k}" if not k.startswith(("bank_account.", "_")) else k: v
                   for k, v in form.errors.items()}
    return _settings_page(Form(), form)
