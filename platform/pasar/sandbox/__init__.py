"""Sandbox providers: payment gateways, carriers and payout providers that behave like the
real services, for region plugins to build theirs from.

A sandbox is not a mock that says yes. It answers the way a real provider does: a card is
authorised at once but its capture is confirmed later by a signed webhook; a wallet sends the
buyer to a redirect page; a virtual account or QR code stays pending until paid or expired; a
call may time out with its outcome unknown (``ProviderUnavailable``), to be settled by
``query_status``; a carrier reports each scan, a failed delivery attempt and the cash it
collected; a payout bounces off a closed account. Its state lives in
``ProviderContext.store`` (the provider's own database), its webhooks leave through
``ProviderContext.send`` signed with the tenant's secret (``signing``), and its time comes from
``ProviderContext.clock``, so the kernel is exercised exactly as a live provider would
exercise it.

A real adapter (Stripe, Adyen, Xendit, a carrier's API) replaces a sandbox class behind the
same protocol of ``pasar.contracts`` (``PaymentGateway``, ``Carrier``, ``PayoutProvider``): its
calls go to the provider's HTTP API with the credentials in ``ProviderContext.settings``
instead of the store, and its ``verify_webhook`` checks the provider's own signature scheme
instead of ``signing.verify``. The sandbox controls (``approve``, ``simulate_paid``,
``collect_on_delivery``, ``advance``, ...) have no real counterpart: there the buyer, the bank
and the courier play those parts. ``pasar.sandbox.testing`` has the in-memory context tests use.
"""
from __future__ import annotations

from pasar.sandbox import signing
from pasar.sandbox.carriers import SandboxCarrier
from pasar.sandbox.payments import SandboxGateway
from pasar.sandbox.payouts import SandboxPayoutProvider
from pasar.sandbox.rates import RateTable, ServiceLevel, ZoneRate, default_zone

__all__ = [
    "RateTable",
    "SandboxCarrier",
    "SandboxGateway",
    "SandboxPayoutProvider",
    "ServiceLevel",
    "ZoneRate",
    "default_zone",
    "signing",
]
