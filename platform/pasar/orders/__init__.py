"""Orders: one buyer checkout splits into one order per seller, each with its own life."""
