"""Tenants: one marketplace in one market, configured by ``tenants/<code>.toml``."""
