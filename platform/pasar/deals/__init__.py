"""Flash sales and live-only deals: a seller's variant at a lower price for a window, a quota and a per-buyer limit."""
