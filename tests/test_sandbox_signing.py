"""Webhook signing: a signature proves the sender and the body, and only for a short time."""
from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from pasar.contracts import WebhookError
from pasar.sandbox import signing

SECRET = b"whsec-test"
BODY = b'{"id":"evt_1","type":"payment.captured"}'
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def headers_at(moment: datetime, body: bytes = BODY, secret: bytes = SECRET) -> dict[str, str]:
    return signing.signed_headers(secret, body, "evt_1", moment)


def test_sign_is_timestamp_and_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET, b"1700000000." + BODY, hashlib.sha256).hexdigest()

    assert signing.sign(SECRET, BODY, 1700000000) == f"t=1700000000,v1={expected}"


def test_signed_headers_carry_signature_event_id_and_json_content_type() -> None:
    headers = headers_at(NOW)

    assert headers["Content-Type"] == "application/json"
    assert headers[signing.EVENT_ID_HEADER] == "evt_1"
    assert headers[signing.SIGNATURE_HEADER] == signing.sign(SECRET, BODY, int(NOW.timestamp()))


def test_a_signed_body_verifies() -> None:
    signing.verify(SECRET, headers_at(NOW), BODY, NOW)


def test_header_names_are_matched_case_insensitively() -> None:
    lowered = {key.lower(): value for key, value in headers_at(NOW).items()}

    signing.verify(SECRET, lowered, BODY, NOW)


def test_a_tampered_body_is_refused() -> None:
    with pytest.raises(WebhookError, match="does not match"):
        signing.verify(SECRET, headers_at(NOW), BODY.replace(b"captured", b"refunded"), NOW)


def test_a_body_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(WebhookError, match="does not match"):
        signing.verify(SECRET, headers_at(NOW, secret=b"attacker"), BODY, NOW)


def test_a_replay_older_than_the_tolerance_is_refused() -> None:
    stale = headers_at(NOW - signing.TOLERANCE - timedelta(seconds=1))

    with pytest.raises(WebhookError, match="too old"):
        signing.verify(SECRET, stale, BODY, NOW)


def test_a_timestamp_too_far_in_the_future_is_refused() -> None:
    future = headers_at(NOW + signing.TOLERANCE + timedelta(seconds=1))

    with pytest.raises(WebhookError, match="future"):
        signing.verify(SECRET, future, BODY, NOW)


def test_clock_skew_within_the_tolerance_is_accepted() -> None:
    signing.verify(SECRET, headers_at(NOW - signing.TOLERANCE), BODY, NOW)
    signing.verify(SECRET, headers_at(NOW + signing.TOLERANCE), BODY, NOW)


def test_a_narrower_tolerance_can_be_asked_for() -> None:
    with pytest.raises(WebhookError, match="too old"):
        signing.verify(
            SECRET, headers_at(NOW - timedelta(seconds=30)), BODY, NOW, timedelta(seconds=10)
        )


def test_a_missing_signature_header_is_refused() -> None:
    with pytest.raises(WebhookError, match="missing Pasar-Signature"):
        signing.verify(SECRET, {"Content-Type": "application/json"}, BODY, NOW)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("garbage", "malformed"),
        ("t=soon,v1=abcd", "timestamp"),
        ("v1=abcd", "no timestamp"),
        ("t=1740830400", "no v1"),
        ("t=1740830400,v1=", "malformed"),
    ],
)
def test_a_malformed_signature_header_is_refused(value: str, problem: str) -> None:
    with pytest.raises(WebhookError, match=problem):
        signing.verify(SECRET, {signing.SIGNATURE_HEADER: value}, BODY, NOW)


def test_any_of_several_signatures_may_match_during_secret_rotation() -> None:
    timestamp = int(NOW.timestamp())
    old = signing.sign(b"old-secret", BODY, timestamp).split(",")[1]
    value = f"{signing.sign(SECRET, BODY, timestamp)},{old}"

    signing.verify(SECRET, {signing.SIGNATURE_HEADER: value}, BODY, NOW)
    signing.verify(b"old-secret", {signing.SIGNATURE_HEADER: value}, BODY, NOW)
