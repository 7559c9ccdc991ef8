"""Accounts: buyers, shop staff and creators (per tenant), operators (global), bearer tokens."""
