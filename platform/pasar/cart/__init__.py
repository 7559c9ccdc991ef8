"""Carts: one per buyer per marketplace, lines from many shops, prices read when shown."""
