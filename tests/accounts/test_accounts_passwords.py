"""Password hashing (stdlib scrypt) and the rules a new password must meet."""
from __future__ import annotations

import pytest

from pasar.accounts.passwords import WeakPassword, check_rules, hash_password, verify_password


def test_a_hash_records_scheme_cost_and_salt_and_verifies_the_password() -> None:
    stored = hash_password("a long enough secret")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(salt) == 24  # 16 bytes in base64
    assert verify_password("a long enough secret", stored)


def test_a_wrong_password_does_not_verify() -> None:
    assert not verify_password("a long enough secreT", hash_password("a long enough secret"))


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("a long enough secret") != hash_password("a long enough secret")


def test_the_cost_is_read_from_the_stored_hash_so_it_can_be_raised_later() -> None:
    import base64
    import hashlib

    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"old cheap hash!", salt=salt, n=2**10, r=8, p=1, dklen=64)
    stored = f"scrypt${2**10}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert verify_password("old cheap hash!", stored)


@pytest.mark.parametrize("stored", ["", "plain", "bcrypt$1$2$3$x$y", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!$AAAA"])
def test_a_malformed_stored_hash_never_verifies(stored: str) -> None:
    assert not verify_password("anything at all", stored)


def test_a_password_shorter_than_ten_characters_is_refused() -> None:
    with pytest.raises(WeakPassword, match="at least 10 characters"):
        check_rules("123456789", "ann@example.test")
    check_rules("1234567890", "ann@example.test")


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("ann.lee@example.test", "ann.lee@example.test"),
        (" ANN.LEE@EXAMPLE.TEST ", "ann.lee@example.test"),
        ("annabel.lee", "annabel.lee@example.test"),  # the part before the @
    ],
)
def test_the_email_address_or_its_local_part_is_refused_as_password(password: str, email: str) -> None:
    with pytest.raises(WeakPassword, match="email"):
        check_rules(password, email)


def test_an_absurdly_long_password_is_refused_before_hashing() -> None:
    with pytest.raises(WeakPassword, match="at most"):
        check_rules("x" * 1025, "ann@example.test")
