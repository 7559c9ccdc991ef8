"""Password hashing with the standard library's scrypt, and the rules a new password must meet.

The stored form is ``scrypt$n$r$p$salt_b64$hash_b64`` so the cost parameters can be raised later
without breaking existing hashes: verification reads them from the stored string.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 64
MIN_LENGTH = 10
MAX_LENGTH = 1024  # scrypt hashes anything, but a megabyte "password" is a denial of service
#: scrypt needs 128 * n * r bytes; allow stored hashes up to 4x today's cost.
_MAX_MEMORY = 4 * 128 * SCRYPT_N * SCRYPT_R + 1024 * 1024


class WeakPassword(ValueError):
    """The password breaks a rule; the message says which, in words a user understands.

    ``rule`` ("too_short", "too_long", "is_email") and ``limit`` let a page say it in the
    reader's language; the English message is what the API's problem carries."""

    def __init__(self, message: str, rule: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.rule, self.limit = rule, limit


def check_rules(password: str, email: str) -> None:
    """Refuse passwords that are too short, too long, or the account's own email address."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"must be at least {MIN_LENGTH} characters long", "too_short", MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"must be at most {MAX_LENGTH} characters long", "too_long", MAX_LENGTH)
    lowered = password.strip().lower()
    local_part = email.split("@", 1)[0].lower()
    if lowered == email.strip().lower() or lowered == local_part:
        raise WeakPassword("must not be your email address", "is_email")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; the comparison takes constant time."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
        return hmac.compare_digest(digest, _unb64(expected))
    except (ValueError, TypeError):
        return False


@cache
def decoy_hash() -> str:
    """A hash to check against when the email is unknown, so a missing account takes as long
    to answer as a wrong password (no account discovery by timing)."""
    return hash_password(secrets.token_urlsafe(16))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=HASH_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
