"""The words a seller reads for the codes services store (statuses, kinds, categories).

Services keep stable English codes (``ready_to_ship``); a page shows ``label("order",
code)``, translated in the active language. A code with no label here (a new status another
domain adds later) is shown as the code itself rather than failing the page.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

__all__ = ["LABELS", "label", "options"]

LABELS: Mapping[str, Mapping[str, LazyString]] = {
    "shop": {
        "pending": _l("Waiting for review"), "approved": _l("Approved"),
        "rejected": _l("Rejected"), "suspended": _l("Suspended"),
    },
    "business_type": {
        "company": _l("Company"), "individual": _l("Individual"), "household": _l("Household business"),
    },
    "product": {"draft": _l("Draft"), "active": _l("On sale"), "archived": _l("Archived")},
    "moderation": {"approved": _l("Approved"), "blocked": _l("Blocked by the marketplace")},
    "tax_category": {
        "standard": _l("Standard"), "books": _l("Books"), "food": _l("Food"),
        "childrens_clothing": _l("Children's clothing"), "clothing": _l("Clothing"),
        "medicine": _l("Medicine"), "digital": _l("Digital goods"), "luxury": _l("Luxury goods"),
    },
    "order": {
        "pending_payment": _l("Waiting for payment"), "paid": _l("Paid"),
        "ready_to_ship": _l("Ready to ship"), "shipped": _l("Shipped"), "delivered": _l("Delivered"),
        "completed": _l("Completed"), "cancelled": _l("Cancelled"),
        "return_requested": _l("Return requested"), "return_approved": _l("Return accepted"),
        "return_rejected": _l("Return refused"), "returned": _l("Returned"), "refunded": _l("Refunded"),
    },
    "shipment": {
        "label_created": _l("Label created"), "picked_up": _l("Picked up"), "in_transit": _l("In transit"),
        "out_for_delivery": _l("Out for delivery"), "failed_attempt": _l("Delivery attempt failed"),
        "delivered": _l("Delivered"), "returned": _l("Returned to sender"),
    },
    "return": {
        "requested": _l("Waiting for your decision"), "approved": _l("Accepted, on its way back"),
        "rejected": _l("Refused"), "received": _l("Received"), "refunded": _l("Refunded"),
        "pending_confirmation": _l("Not confirmed by the buyer"),
    },
    "return_kind": {"return": _l("Return"), "withdrawal": _l("Withdrawal")},
    "live": {"scheduled": _l("Scheduled"), "live": _l("Live now"), "ended": _l("Ended")},
    "offer": {"open": _l("Open"), "withdrawn": _l("Withdrawn")},
    "collaboration": {
        "invited": _l("Invited"), "applied": _l("Applied"), "active": _l("Active"),
        "declined": _l("Declined"), "rejected": _l("Rejected"), "ended": _l("Ended"),
    },
    "payout": {
        "pending": _l("Pending"), "processing": _l("Processing"), "paid": _l("Paid"),
        "failed": _l("Failed"), "skipped": _l("Skipped"),
    },
    "ledger": {
        "order_completed": _l("Sale"), "refund": _l("Refund"), "refund_settled": _l("Refund"),
        "payout": _l("Payout"), "payout_paid": _l("Payout paid"), "payout_failed": _l("Payout failed, money back"),
        "ad_topup": _l("Ads top-up"), "ad_spend": _l("Ads spend"),
    },
    "campaign": {"draft": _l("Draft"), "active": _l("Active"), "paused": _l("Paused"), "ended": _l("Ended")},
    "delivery": {
        "delivering": _l("Delivering"), "scheduled": _l("Scheduled"), "draft": _l("Draft"), "paused": _l("Paused"),
        "ended": _l("Ended"), "target_unavailable": _l("Product or video not available"),
        "no_balance": _l("Ad balance is empty"), "budget_exhausted": _l("Today's budget is spent"),
    },
    "ad_kind": {"in_feed": _l("In-Feed: a product in the feed"), "spark": _l("Spark: a creator's video")},
    "billing": {"cpm": _l("Per 1,000 impressions (CPM)"), "cpc": _l("Per click (CPC)")},
}


def label(kind: str, code: str | None) -> str:
    """The translated word for ``code`` of ``kind`` (the code itself when none is known)."""
    if code is None:
        return ""
    found = LABELS.get(kind, {}).get(code)
    return str(found) if found is not None else code


def options(kind: str, codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(code, label) pairs for a ``<select>``, in the order given."""
    return [(code, label(kind, code)) for code in codes]
