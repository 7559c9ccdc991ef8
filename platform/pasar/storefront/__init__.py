"""The buyer-facing storefront (server-rendered, localized)."""
