"""Schemas of the seller endpoints.

Input schemas accept only what the caller may set: a registration cannot carry ``status``,
``tenant_id`` or ``reviewed_by`` (marshmallow refuses unknown fields, so such a body is a 422).
Output schemas never carry the full bank account number: the API fills ``bank_account`` from
``service.masked_account``.
"""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from pasar.sellers.models import BUSINESS_TYPES, SELLER_STATUSES

_NOT_BLANK = validate.Length(min=1)


# --- input --------------------------------------------------------------------------------------
class BankAccountInSchema(Schema):
    holder = fields.String(required=True, validate=validate.Length(min=1, max=200))
    number = fields.String(required=True, validate=validate.Length(min=1, max=64),
                           metadata={"description": "IBAN, account number or e-wallet id"})
    bank_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32),
                              metadata={"description": "Sort code, routing number, BIC or bank id"})
    country = fields.String(load_default=None, allow_none=True, validate=validate.Length(equal=2),
                            metadata={"description": "ISO 3166 code; the marketplace's country if omitted"})


class RegistrationSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120),
                         metadata={"description": "The shop name buyers see"})
    legal_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    business_type = fields.String(required=True, validate=validate.OneOf(BUSINESS_TYPES))
    kyc = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(max=100)),
                      load_default=dict,
                      metadata={"description": "The fields of GET /kyc-requirements, by name"})
    bank_account = fields.Nested(BankAccountInSchema, required=True)


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DocumentUploadSchema(Schema):
    """The multipart body of a document upload (the sellers blueprint reads both parts)."""

    kind = fields.String(required=True, validate=_NOT_BLANK,
                         metadata={"description": "One of the documents of GET /kyc-requirements"})
    file = Upload(required=True, metadata={"description": "PDF, PNG or JPEG, at most 5 MiB"})


class SellerQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(SELLER_STATUSES))


# --- output -------------------------------------------------------------------------------------
class KycFieldSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "In the request's language"})
    pattern = fields.String(required=True, metadata={"description": "A regular expression the whole value must match"})
    required = fields.Boolean(required=True)
    help = fields.String(required=True)


class KycRequirementsSchema(Schema):
    country = fields.String(required=True)
    kyc_fields = fields.List(fields.Nested(KycFieldSchema), required=True, data_key="fields")
    documents = fields.List(fields.String(), required=True)
    business_types = fields.List(fields.String(), required=True)


class MaskedBankAccountSchema(Schema):
    holder = fields.String(required=True)
    number = fields.String(required=True, metadata={"description": "Masked, e.g. •••• 6789"})
    bank_code = fields.String(allow_none=True)
    country = fields.String(required=True)


class DocumentSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    uploaded_at = fields.DateTime(required=True)


class StatusChangeSchema(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String(required=True)
    actor_kind = fields.String(required=True)
    actor_id = fields.Integer(required=True)
    reason = fields.String(allow_none=True)
    at = fields.DateTime(required=True)


class SellerSchema(Schema):
    """A shop as its owner sees it."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    legal_name = fields.String(required=True)
    business_type = fields.String(required=True)
    country = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(SELLER_STATUSES)})
    rejection_reason = fields.String(allow_none=True, metadata={"description": "Why it was rejected or suspended"})
    kyc = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    bank_account = fields.Nested(MaskedBankAccountSchema, required=True)
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    missing_documents = fields.List(fields.String(), metadata={"description": "Still needed for approval"})
    created_at = fields.DateTime(required=True)
    reviewed_at = fields.DateTime(allow_none=True)


class OperatorSellerSchema(SellerSchema):
    """A shop as a reviewing operator sees it: also its owner, reviewer and history."""

    owner_user_id = fields.Integer(required=True)
    reviewed_by = fields.Integer(allow_none=True)
    history = fields.List(fields.Nested(StatusChangeSchema), required=True)
