"""Schemas of the account endpoints. Request schemas accept only what the caller may set:
``roles``, ``seller_id`` or ``tenant_id`` in a registration body is a 422, never an upgrade."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from pasar.accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH

E164 = validate.Regexp(r"^\+[1-9][0-9]{6,14}$", error="must be an international number such as +447700900123")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


class RegisterSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    # Only the length is checked here; the password rules live in accounts.passwords.
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))
    name = fields.String(required=True, validate=[validate.Length(min=1, max=120), _not_blank])
    phone = fields.String(load_default=None, validate=E164, metadata={"description": "E.164, for cash on delivery"})


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX_LENGTH))


class UserSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(attribute="display_name", required=True)
    roles = fields.List(fields.String(), required=True)
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    phone = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Shown once; send as Authorization: Bearer <token>"})
    token_type = fields.Constant("Bearer", required=True)
    expires_at = fields.DateTime(required=True)


class RegisteredSchema(TokenSchema):
    user = fields.Nested(UserSchema, required=True)


class PrincipalSchema(Schema):
    """``GET /me``: the signed-in user or operator."""

    kind = fields.String(required=True, metadata={"enum": ["user", "operator"]})
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    roles = fields.Method("sorted_roles", required=True, metadata={"type": "array", "items": {"type": "string"}})
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    tenant_codes = fields.Method("sorted_tenant_codes", metadata={
        "type": "array", "items": {"type": "string"}, "description": "Operators: tenants they run (* = all)"})

    def sorted_roles(self, principal: Any) -> list[str]:
        return sorted(principal.roles)

    def sorted_tenant_codes(self, principal: Any) -> list[str]:
        return sorted(principal.tenant_codes)
