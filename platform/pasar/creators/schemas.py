"""Schemas of the creator endpoints.

Input schemas accept only what the caller may set: a profile cannot carry ``follower_count``
or ``user_id``, an offer cannot carry ``seller_id`` or ``status`` (unknown fields are a 422).
A creator's own view shows its bank account masked; the public profile never shows it.
Commission rates are decimal strings (``"0.1250"`` = 12.5 %).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.creators.claims import MAX_PENDING, OUTCOMES
from pasar.creators.models import COLLABORATION_STATUSES
from pasar.sellers.schemas import BankAccountInSchema, MaskedBankAccountSchema

DECIMAL = {"type": "string", "format": "decimal"}


def _tags(description: str) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list,
                       validate=validate.Length(max=10), metadata={"description": description})


# --- input --------------------------------------------------------------------------------------
class ProfileInSchema(Schema):
    handle = fields.String(required=True, validate=validate.Length(min=3, max=40),
                           metadata={"description": "Public @handle: letters, digits, '_' and '.'"})
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    bio = fields.String(load_default="", validate=validate.Length(max=1000))
    categories = _tags("What the creator covers, e.g. beauty, fashion")
    countries = _tags("ISO 3166 codes of the creator's audience")
    bank_account = fields.Nested(BankAccountInSchema, required=True,
                                 metadata={"description": "Where commission is paid; the payout provider checks it"})


class ProfilePatchSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    bio = fields.String(validate=validate.Length(max=1000))
    categories = fields.List(fields.String(validate=validate.Length(min=1, max=40)), validate=validate.Length(max=10))
    countries = fields.List(fields.String(validate=validate.Length(equal=2)), validate=validate.Length(max=10))


class CreatorQuerySchema(Schema):
    category = fields.String(validate=validate.Length(min=1, max=40))
    country = fields.String(validate=validate.Length(equal=2))


class OfferInSchema(Schema):
    product_id = fields.Integer(required=True)
    commission_rate = fields.Decimal(required=True, as_string=True,
                                     metadata={**DECIMAL, "description": "A fraction: 0.1 is 10 %, at most 0.5"})
    starts_at = fields.AwareDateTime(load_default=None,
                                     metadata={"description": "Default: now"})
    ends_at = fields.AwareDateTime(required=True, metadata={"description": "Exclusive"})
    creator_id = fields.Integer(load_default=None, allow_none=True,
                                metadata={"description": "Invite one creator; none: open to every creator"})
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class OfferQuerySchema(Schema):
    product_id = fields.Integer()


class CollaborationQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(COLLABORATION_STATUSES))


class LinkInSchema(Schema):
    product_id = fields.Integer(required=True)


class PromotionClaimInSchema(Schema):
    claim_tokens = fields.List(
        fields.String(validate=validate.Length(min=1, max=4000)), required=True,
        validate=validate.Length(min=1, max=MAX_PENDING),
        metadata={"description": "Claim tokens answered by `POST /r/{code}` (or the `Pasar-Claim-Token` header "
                                 "of `GET /r/{code}`) while signed out; an altered one, or another "
                                 "marketplace's, is a 422 naming its index (`claim_tokens.<i>`)"})


# --- output -------------------------------------------------------------------------------------
class PublicCreatorSchema(Schema):
    id = fields.Integer()
    handle = fields.String()
    display_name = fields.String()
    bio = fields.String()
    categories = fields.List(fields.String())
    countries = fields.List(fields.String())
    follower_count = fields.Integer()
    following = fields.Boolean(metadata={"description": "Whether the caller follows the creator"})


class OwnCreatorSchema(PublicCreatorSchema):
    bank_account = fields.Nested(MaskedBankAccountSchema)
    created_at = fields.DateTime()


class OfferSchema(Schema):
    id = fields.Integer()
    seller_id = fields.Integer()
    product_id = fields.Integer()
    creator_id = fields.Integer(allow_none=True)
    commission_rate = fields.Decimal(as_string=True, metadata=DECIMAL)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String()
    note = fields.String()


class CollaborationSchema(Schema):
    id = fields.Integer()
    offer_id = fields.Integer()
    creator_id = fields.Integer()
    seller_id = fields.Integer()
    product_id = fields.Integer()
    commission_rate = fields.Decimal(as_string=True, metadata=DECIMAL)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String()
    decided_at = fields.DateTime(allow_none=True)


class LinkSchema(Schema):
    code = fields.String()
    url = fields.String(metadata={"description": "Share this: it records the click and opens the product"})
    product_id = fields.Integer()
    clicks = fields.Integer()
    created_at = fields.DateTime()


class LinkClickSchema(Schema):
    product_id = fields.Integer()
    product_url = fields.String(metadata={"description": "The product in this API"})
    claim_token = fields.String(allow_none=True, metadata={
        "description": "Signed out: keep this and post it to `POST /me/promotion-claims` after signing in, "
                       "so the creator is credited for the click. Signed in: null (credited already)"})
    claim_expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "After this the click is outside the attribution window and claims nothing"})


class ClaimedClickSchema(Schema):
    outcome = fields.String(metadata={"enum": list(OUTCOMES), "description": (
        "credited: recorded for you now; already_credited: claimed before; expired: outside the "
        "attribution window; unknown_link: no such link here; not_promotable: the creator could not be "
        "credited for it when you clicked")})
    creator_id = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True)
    clicked_at = fields.DateTime()


class PromotionClaimSchema(Schema):
    credited = fields.Integer(metadata={"description": "How many clicks were recorded for you by this request"})
    clicks = fields.List(fields.Nested(ClaimedClickSchema))
