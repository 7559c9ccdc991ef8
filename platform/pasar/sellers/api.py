"""Seller endpoints: what KYC a marketplace asks for, opening a shop, documents, bank account,
and the operators' review queue.

A shop owner only ever reaches their own shop (its id comes from the token, never the URL);
operators reach shops of the tenant the request names, and an id of another tenant's shop is
a 404 like any unknown id.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from http import HTTPStatus
from typing import Any, TypeVar

import flask
from flask import Response, current_app, request, send_file
from flask.views import MethodView
# Labels come from plugins (their catalogs translate them); an alias keeps the extractor away.
from flask_babel import gettext as translate_label
from flask_smorest import Blueprint, abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict, FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from pasar.accounts.auth import require_auth
from pasar.contracts import BankAccount, PayoutProvider
from pasar.sellers import service
from pasar.sellers.models import BUSINESS_TYPES, Seller
from pasar.sellers.schemas import (
    BankAccountInSchema,
    DocumentSchema,
    DocumentUploadSchema,
    KycRequirementsSchema,
    OperatorSellerSchema,
    ReasonSchema,
    RegistrationSchema,
    SellerQuerySchema,
    SellerSchema,
)
from pasar.sellers.storage import MAX_DOCUMENT_BYTES, DocumentStore, uploads_root
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, database, db_session
from pasar.accounts.auth import own_seller_id
from pasar.accounts.auth import signed_in as principal


class MultipartParser(FlaskParser):
    """Reads ``location="files"`` as the whole multipart body: the file parts *and* the plain
    fields sent with them, so one schema describes (and the OpenAPI document shows) one
    ``multipart/form-data`` request body instead of a body plus stray ``formData`` parameters."""

    def load_files(self, req: flask.Request, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class SellersBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()


blp = SellersBlueprint("sellers", __name__, url_prefix="/api/v1", description="Seller registration and review")

View = TypeVar("View", bound=Callable[..., Any])
#: Room for the multipart envelope and the ``kind`` field around a maximal document.
_FORM_OVERHEAD = 64 * 1024
NOT_FOUND, CONFLICT, TOO_LARGE = (HTTPStatus(code).name for code in (404, 409, 413))
_TOO_LARGE = {"file": [f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"]}


# --- helpers ------------------------------------------------------------------------------------
@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the sellers domain's refusals into problems naming the field at fault."""
    try:
        yield
    except service.SellerNotFound:
        abort(404, message="no such seller")
    except service.DocumentTooLarge as exc:
        abort(413, message="the document is too large", errors=exc.errors)
    except service.InvalidSellerInput as exc:
        abort(422, message="some fields are not valid", errors=exc.errors)
    except service.AlreadyHasShop as exc:
        abort(409, message=str(exc))
    except service.MissingDocuments as exc:
        abort(409, message=str(exc), errors={"documents": [f"missing: {', '.join(exc.kinds)}"]})
    except service.InvalidTransition as exc:
        abort(409, message=str(exc), errors={"status": [f"is {exc.status}"]})
    except (service.SellerNotApproved, service.RegistrationUnavailable) as exc:
        abort(409, message=str(exc))


def payouts(tenant: TenantContext) -> PayoutProvider:
    """The tenant's payout provider, the judge of a bank account in its country."""
    return service.payouts_for(database(), current_app.config["PASAR"], tenant)


def document_store() -> DocumentStore:
    return DocumentStore(uploads_root(current_app.config["PASAR"]))


def shop_json(tenant: TenantContext, seller: Seller) -> dict[str, Any]:
    """A shop as the schemas dump it: columns, the masked account, documents still missing."""
    return {
        "id": seller.id, "name": seller.name, "legal_name": seller.legal_name,
        "business_type": seller.business_type, "country": seller.country, "status": seller.status,
        "rejection_reason": seller.rejection_reason, "kyc": dict(seller.kyc),
        "bank_account": service.masked_account(seller), "documents": list(seller.documents),
        "missing_documents": service.missing_documents(tenant, seller),
        "created_at": seller.created_at, "reviewed_at": seller.reviewed_at,
        "owner_user_id": seller.owner_user_id, "reviewed_by": seller.reviewed_by,
        "history": list(seller.status_changes),
    }


def bank_account(body: dict[str, Any]) -> BankAccount:
    return BankAccount(holder=body["holder"], number=body["number"],
                       bank_code=body.get("bank_code"), country=body.get("country"))


def limit_upload(view: View) -> View:
    """Refuse an oversized upload before its body is read (413 naming ``file``), and cap what
    Werkzeug will read at all when the client sends no Content-Length."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        allowance = MAX_DOCUMENT_BYTES + _FORM_OVERHEAD
        request.max_content_length = allowance
        if request.content_length is not None and request.content_length > allowance:
            abort(413, message="the document is too large", errors=_TOO_LARGE)
        try:
            return view(*args, **kwargs)
        except RequestEntityTooLarge:
            abort(413, message="the document is too large", errors=_TOO_LARGE)

    return wrapper  # type: ignore[return-value]


# --- public -------------------------------------------------------------------------------------
@blp.route("/kyc-requirements")
class KycRequirementsView(MethodView):
    @blp.response(200, KycRequirementsSchema)
    def get(self) -> dict[str, Any]:
        """The fields and documents a shop must give in this marketplace (to build the form)."""
        tenant = current_tenant()
        with domain_errors():
            requirements = service.kyc_requirements(tenant)
        return {
            "country": requirements.country,
            "kyc_fields": [
                {"name": f.name, "label": translate_label(f.label), "pattern": f.pattern,
                 "required": f.required, "help": translate_label(f.help) if f.help else ""}
                for f in requirements.fields
            ],
            "documents": list(requirements.documents),
            "business_types": list(BUSINESS_TYPES),
        }


# --- the shop owner -----------------------------------------------------------------------------
@blp.route("/sellers")
class SellersView(MethodView):
    @require_auth("buyer")
    @blp.arguments(RegistrationSchema)
    @blp.response(201, SellerSchema)
    @blp.alt_response(409, response=CONFLICT)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Open a shop; it waits for an operator's review and the caller becomes its owner."""
        tenant, session = current_tenant(), db_session()
        data = service.Registration(
            name=body["name"], legal_name=body["legal_name"], business_type=body["business_type"],
            kyc=body["kyc"], bank_account=bank_account(body["bank_account"]),
        )
        with domain_errors():
            seller = service.register_seller(session, tenant, principal().id, data, payouts(tenant))
        session.commit()
        return shop_json(tenant, seller)


@blp.route("/seller")
class OwnSellerView(MethodView):
    @require_auth("seller")
    @blp.response(200, SellerSchema)
    def get(self) -> dict[str, Any]:
        """The caller's shop: status, rejection reason, documents, masked bank account."""
        tenant = current_tenant()
        with domain_errors():
            seller = service.get_seller(db_session(), tenant, own_seller_id())
        return shop_json(tenant, seller)


@blp.route("/seller/bank-account")
class BankAccountView(MethodView):
    @require_auth("seller")
    @blp.arguments(BankAccountInSchema)
    @blp.response(200, SellerSchema)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Replace the shop's payout account (checked by the marketplace's payout provider)."""
        tenant, session, who = current_tenant(), db_session(), principal()
        with domain_errors():
            seller = service.update_bank_account(
                session, tenant, own_seller_id(), bank_account(body), payouts(tenant),
                service.Actor("user", who.id),
            )
        session.commit()
        return shop_json(tenant, seller)


@blp.route("/seller/documents")
class DocumentsView(MethodView):
    @require_auth("seller")
    @limit_upload
    @blp.arguments(DocumentUploadSchema, location="files")
    @blp.response(201, DocumentSchema)
    @blp.alt_response(413, response=TOO_LARGE)
    def post(self, body: dict[str, Any]) -> Any:
        """Upload a KYC document (multipart ``file`` and ``kind``): PDF, PNG or JPEG, ≤ 5 MiB."""
        tenant, session = current_tenant(), db_session()
        upload: FileStorage = body["file"]
        data = upload.stream.read(MAX_DOCUMENT_BYTES + 1)
        with domain_errors():
            document = service.upload_document(
                session, tenant, own_seller_id(), body["kind"], upload.filename or "", data,
                document_store(),
            )
        session.commit()
        return document


# --- operators ----------------------------------------------------------------------------------
@blp.route("/operator/sellers")
class ReviewQueueView(MethodView):
    @require_auth("operator")
    @blp.arguments(SellerQuerySchema, location="query")
    @blp.response(200, OperatorSellerSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """Shops of this marketplace, oldest first; ``?status=pending`` is the review queue."""
        tenant = current_tenant()
        page, total = service.list_sellers(
            db_session(), tenant, query.get("status"),
            offset=pagination_parameters.first_item, limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return [shop_json(tenant, seller) for seller in page]


@blp.route("/operator/sellers/<int:seller_id>")
class ReviewSellerView(MethodView):
    @require_auth("operator")
    @blp.response(200, OperatorSellerSchema)
    @blp.alt_response(404, response=NOT_FOUND)
    def get(self, seller_id: int) -> dict[str, Any]:
        """One shop with its KYC, documents and status history."""
        tenant = current_tenant()
        with domain_errors():
            seller = service.get_seller(db_session(), tenant, seller_id)
        return shop_json(tenant, seller)


@blp.route("/operator/sellers/<int:seller_id>/documents/<int:document_id>")
class ReviewDocumentView(MethodView):
    @require_auth("operator")
    @blp.response(200, content_type="application/octet-stream", description="The file as uploaded")
    @blp.alt_response(404, response=NOT_FOUND)
    def get(self, seller_id: int, document_id: int) -> Response:
        """Download one KYC document of a shop for review."""
        with domain_errors():
            document = service.get_document(db_session(), current_tenant(), seller_id, document_id)
        response = send_file(document_store().path(document.path), mimetype=document.content_type,
                             as_attachment=True, download_name=document.filename)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _review(seller_id: int, act: Callable[..., Seller], *extra: Any) -> dict[str, Any]:
    tenant, session = current_tenant(), db_session()
    with domain_errors():
        seller = act(session, tenant, seller_id, principal().id, *extra)
    session.commit()
    return shop_json(tenant, seller)


@blp.route("/operator/sellers/<int:seller_id>/approve")
class ApproveView(MethodView):
    @require_auth("operator")
    @blp.response(200, OperatorSellerSchema)
    @blp.alt_response(404, response=NOT_FOUND)
    @blp.alt_response(409, response=CONFLICT)
    def post(self, seller_id: int) -> dict[str, Any]:
        """Approve a pending shop whose documents are all there; it may list and sell."""
        return _review(seller_id, service.approve)


@blp.route("/operator/sellers/<int:seller_id>/reject")
class RejectView(MethodView):
    @require_auth("operator")
    @blp.arguments(ReasonSchema)
    @blp.response(200, OperatorSellerSchema)
    @blp.alt_response(404, response=NOT_FOUND)
    @blp.alt_response(409, response=CONFLICT)
    def post(self, body: dict[str, Any], seller_id: int) -> dict[str, Any]:
        """Reject a pending shop; the reason is shown to the seller."""
        return _review(seller_id, service.reject, body["reason"])


@blp.route("/operator/sellers/<int:seller_id>/suspend")
class SuspendView(MethodView):
    @require_auth("operator")
    @blp.arguments(ReasonSchema)
    @blp.response(200, OperatorSellerSchema)
    @blp.alt_response(404, response=NOT_FOUND)
    @blp.alt_response(409, response=CONFLICT)
    def post(self, body: dict[str, Any], seller_id: int) -> dict[str, Any]:
        """Suspend an approved shop; it stops selling until reinstated."""
        return _review(seller_id, service.suspend, body["reason"])


@blp.route("/operator/sellers/<int:seller_id>/reinstate")
class ReinstateView(MethodView):
    @require_auth("operator")
    @blp.response(200, OperatorSellerSchema)
    @blp.alt_response(404, response=NOT_FOUND)
    @blp.alt_response(409, response=CONFLICT)
    def post(self, seller_id: int) -> dict[str, Any]:
        """Lift a suspension: the shop is approved again."""
        return _review(seller_id, service.reinstate)
