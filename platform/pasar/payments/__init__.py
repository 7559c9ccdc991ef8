"""Payments: one per checkout through the method's gateway, webhooks, reconciliation, refunds."""
