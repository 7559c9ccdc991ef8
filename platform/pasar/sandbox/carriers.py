"""A sandbox parcel carrier that behaves like a real one.

It quotes from a published-style rate table, issues tracking numbers and label URLs, and
reports each step of a parcel's journey with a signed ``tracking.updated`` webhook, including
the failed delivery attempt and the cash collected for a cash-on-delivery parcel. All state is
in ``ProviderContext.store``; ``advance`` plays the courier's part.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal
from typing import Any, get_args, get_type_hints

from pasar.contracts import (
    CarrierInfo,
    ProviderContext,
    Shipment,
    ShipmentRequest,
    ShippingQuote,
    TrackingEvent,
    WebhookError,
)
from pasar.sandbox._common import (
    Records,
    decimal_text,
    emit,
    field_decimal,
    field_text,
    field_time,
    iso,
    new_event_id,
    parse_iso,
    read_event,
)
from pasar.sandbox._instructions import digits
from pasar.sandbox.rates import RateTable, ServiceLevel, ZoneRate, default_zone

__all__ = ["RateTable", "SandboxCarrier", "ServiceLevel", "ZoneRate", "default_zone"]

Record = dict[str, Any]

_NEXT = {
    "label_created": "picked_up",
    "picked_up": "in_transit",
    "in_transit": "out_for_delivery",
    "out_for_delivery": "delivered",
    "failed_attempt": "out_for_delivery",
}
_STATUSES = frozenset(get_args(get_type_hints(TrackingEvent)["status"]))


class SandboxCarrier:
    """A ``Carrier`` quoting from a ``RateTable``; ``advance`` moves a parcel along."""

    def __init__(
        self,
        *,
        info: CarrierInfo,
        rates: RateTable,
        context: ProviderContext,
        tracking_prefix: str,
    ) -> None:
        unpriced = [code for code in info.services if rates.service(code) is None]
        if unpriced:
            raise ValueError(f"carrier {info.code}: no ServiceLevel for services {unpriced}")
        self.info = info
        self.rates = rates
        self.context = context
        self.tracking_prefix = tracking_prefix
        self._records = Records(context, f"carriers:{info.code}")

    # -- Carrier --------------------------------------------------------------------------

    def quote(self, request: ShipmentRequest) -> list[ShippingQuote]:
        """One quote per service, or none when this carrier cannot take the parcel."""
        if self.unserviceable(request) is not None:
            return []
        return [self._quote(request, code) for code in self.info.services]

    def create_shipment(self, request: ShipmentRequest, service: str) -> Shipment:
        """Buy a label; the same ``request.reference`` returns the same shipment."""
        existing = self._records.get("reference", request.reference)
        if existing is not None:
            return self._replay(existing["tracking_number"], service)
        reason = self.unserviceable(request)
        if reason is not None:
            raise ValueError(reason)
        if service not in self.info.services:
            raise ValueError(f"{self.info.code} has no service {service!r}")
        record = self._new_record(request, self._quote(request, service))
        self._records.put("shipment", record["tracking_number"], record)
        tracking = {"tracking_number": record["tracking_number"]}
        self._records.put("reference", request.reference, tracking)
        self._record_event(record, "label_created")
        return _shipment(record)

    def track(self, tracking_number: str) -> list[TrackingEvent]:
        """Every event of the parcel, oldest first (``KeyError`` for an unknown number)."""
        record = self._records.load("shipment", tracking_number)
        return [_event(tracking_number, stored) for stored in record["events"]]

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> TrackingEvent:
        """Check the signature and freshness of a tracking webhook, then parse it."""
        envelope = read_event(self.context, headers, body)
        data = envelope.data
        status = field_text(data, "status")
        if status not in _STATUSES:
            raise WebhookError(f"unknown tracking status {status!r}")
        location = data.get("location")
        return TrackingEvent(
            tracking_number=field_text(data, "tracking_number"),
            status=status,  # type: ignore[arg-type]  # checked against the Literal above
            occurred_at=field_time(data, "occurred_at"),
            location=location if isinstance(location, str) else "",
            event_id=envelope.event_id,
            cod_collected=field_decimal(data, "cod_collected"),
        )

    # -- sandbox controls -----------------------------------------------------------------

    def advance(self, tracking_number: str, *, fail: bool = False) -> TrackingEvent:
        """The courier's next scan. ``fail=True`` while out for delivery records a failed
        attempt (nobody home); the next advance goes out for delivery again."""
        record = self._records.load("shipment", tracking_number)
        current = record["status"]
        if current not in _NEXT:
            raise ValueError(f"parcel {tracking_number} is {current}: it cannot move further")
        if fail and current != "out_for_delivery":
            raise ValueError(
                f"parcel {tracking_number} is {current}: only a parcel out for delivery can "
                "have a failed attempt"
            )
        return self._record_event(record, "failed_attempt" if fail else _NEXT[current])

    def label_data(self, tracking_number: str) -> dict[str, Any]:
        """What a printable label shows: carrier, service, addresses, weight, cash to collect."""
        record = self._records.load("shipment", tracking_number)
        parcel = record["parcel"]
        return {
            "carrier": self.info.name,
            "carrier_code": self.info.code,
            "service": record["service"],
            "tracking_number": tracking_number,
            "reference": record["reference"],
            "origin": record["origin"],
            "destination": record["destination"],
            "weight_grams": parcel["weight_grams"],
            "chargeable_weight_grams": parcel["chargeable_grams"],
            "cod_amount": parcel["cod_amount"],
            "currency": record["currency"],
            "label_url": record["label_url"],
        }

    def unserviceable(self, request: ShipmentRequest) -> str | None:
        """Why this carrier cannot take the parcel, or ``None`` if it can."""
        destination = request.destination.country
        grams = self.rates.chargeable_grams(request.parcel)
        if destination not in self.info.countries:
            return f"{self.info.code} does not deliver to {destination}"
        if request.currency != self.rates.currency:
            return f"{self.info.code} quotes in {self.rates.currency}, not {request.currency}"
        if grams > self.rates.max_weight_grams:
            limit = self.rates.max_weight_grams
            return f"{grams} g is over the {limit} g limit of {self.info.code}"
        zone = self._zone(request)
        if zone not in self.rates.zones:
            return f"{self.info.code} has no rate for zone {zone!r}"
        if request.parcel.cod_amount is not None and not self.info.cod:
            return f"{self.info.code} does not collect cash on delivery"
        return None

    # -- internals ------------------------------------------------------------------------

    def _zone(self, request: ShipmentRequest) -> str:
        return self.rates.zone_of(request.origin, request.destination)

    def _quote(self, request: ShipmentRequest, code: str) -> ShippingQuote:
        zone = self._zone(request)
        rate = self.rates.zones[zone]
        service = self.rates.service(code)
        assert service is not None  # __init__ refused carriers with unpriced services
        grams = self.rates.chargeable_grams(request.parcel)
        amount = self.rates.base_price(rate, grams, service)
        amount += self.rates.cod_fee(request.parcel.cod_amount)
        min_days, max_days = self.rates.days(rate, service)
        return ShippingQuote(
            carrier=self.info.code,
            service=code,
            amount=amount,
            currency=self.rates.currency,
            zone=zone,
            min_days=min_days,
            max_days=max_days,
        )

    def _replay(self, tracking_number: str, service: str) -> Shipment:
        record = self._records.load("shipment", tracking_number)
        if record["service"] != service:
            raise ValueError(
                f"shipment {record['reference']} already has a {record['service']} label"
            )
        return _shipment(record)

    def _new_record(self, request: ShipmentRequest, quote: ShippingQuote) -> Record:
        tracking_number = self._new_tracking_number()
        base = self.context.base_url.rstrip("/")
        parcel = request.parcel
        return {
            "carrier": self.info.code,
            "tracking_number": tracking_number,
            "reference": request.reference,
            "service": quote.service,
            "amount": decimal_text(quote.amount),
            "currency": quote.currency,
            "label_url": (
                f"{base}/sandbox/{self.context.tenant}/labels/{self.info.code}/{tracking_number}"
            ),
            "origin": asdict(request.origin),
            "destination": asdict(request.destination),
            "parcel": {
                "weight_grams": parcel.weight_grams,
                "chargeable_grams": self.rates.chargeable_grams(parcel),
                "dimensions_cm": [parcel.length_cm, parcel.width_cm, parcel.height_cm],
                "declared_value": decimal_text(parcel.declared_value),
                "cod_amount": _optional_text(parcel.cod_amount),
            },
            "status": "label_created",
            "events": [],
        }

    def _new_tracking_number(self) -> str:
        """A fresh number: the carrier's prefix and 12 digits, never one already issued."""
        while True:
            candidate = self.tracking_prefix + digits(12)
            if self._records.get("shipment", candidate) is None:
                return candidate

    def _record_event(self, record: Record, status: str) -> TrackingEvent:
        """Store the scan on the shipment and announce it by webhook."""
        cod = record["parcel"]["cod_amount"] if status == "delivered" else None
        stored = {
            "event_id": new_event_id(),
            "status": status,
            "location": _location(record, status),
            "occurred_at": iso(self.context.clock()),
            "cod_collected": cod,
        }
        record["events"].append(stored)
        record["status"] = status
        self._records.put("shipment", record["tracking_number"], record)
        data = {"tracking_number": record["tracking_number"]}
        data.update((key, stored[key]) for key in ("status", "location", "occurred_at"))
        data["cod_collected"] = cod
        emit(
            self.context,
            endpoint="shipping",
            provider=self.info.code,
            type="tracking.updated",
            data=data,
            event_id=stored["event_id"],
        )
        return _event(record["tracking_number"], stored)


def _location(record: Record, status: str) -> str:
    """Where a scan happens: at the sender's city until the parcel leaves it, at a sorting
    centre in transit, at the buyer's city for the last mile."""
    origin, destination = record["origin"], record["destination"]
    if status in ("label_created", "picked_up"):
        return _place(origin)
    if status == "in_transit":
        return f"{destination['region'] or destination['city'] or destination['country']} hub"
    return _place(destination)


def _place(address: Mapping[str, str]) -> str:
    return ", ".join(part for part in (address["city"], address["country"]) if part)


def _optional_text(amount: Decimal | None) -> str | None:
    return None if amount is None else decimal_text(amount)


def _shipment(record: Record) -> Shipment:
    return Shipment(
        carrier=record["carrier"],
        service=record["service"],
        tracking_number=record["tracking_number"],
        label_url=record["label_url"],
        amount=Decimal(record["amount"]),
        currency=record["currency"],
    )


def _event(tracking_number: str, stored: Record) -> TrackingEvent:
    cod = stored["cod_collected"]
    return TrackingEvent(
        tracking_number=tracking_number,
        status=stored["status"],
        occurred_at=parse_iso(stored["occurred_at"]),
        location=stored["location"],
        event_id=stored["event_id"],
        cod_collected=None if cod is None else Decimal(cod),
    )

