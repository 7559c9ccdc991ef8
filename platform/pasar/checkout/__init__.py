"""Checkout: quote a cart, place it as one order per seller, vouchers, Idempotency-Key."""
