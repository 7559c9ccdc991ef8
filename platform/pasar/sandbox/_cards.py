"""Sandbox test cards: the well-known numbers that make a card payment succeed, decline or
time out, so every outcome a real card processor gives can be reproduced on purpose."""
from __future__ import annotations

from dataclasses import dataclass

#: Numbers with a fixed outcome; any other Luhn-valid number is approved.
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TIMEOUT = "4000000000003063"

_FAILURES = {DECLINED: "card_declined", INSUFFICIENT_FUNDS: "insufficient_funds"}


@dataclass(frozen=True)
class CardOutcome:
    """What the card network answers for a number."""

    approved: bool
    failure_reason: str | None = None
    times_out: bool = False


def normalise(number: str | None) -> str:
    """Digits only (people type spaces and dashes); ``ValueError`` for anything else."""
    if not number:
        raise ValueError("card_number is required for a card payment")
    digits = number.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValueError("card_number must be 12 to 19 digits")
    if not luhn_valid(digits):
        raise ValueError("card_number fails the Luhn check")
    return digits


def luhn_valid(digits: str) -> bool:
    """The Luhn mod-10 checksum every card number carries."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def outcome(digits: str) -> CardOutcome:
    if digits in _FAILURES:
        return CardOutcome(approved=False, failure_reason=_FAILURES[digits])
    return CardOutcome(approved=True, times_out=digits == TIMEOUT)
