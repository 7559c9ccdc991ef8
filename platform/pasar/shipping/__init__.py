"""Shipping: where a seller ships from, shipping quotes across the tenant's carriers, labels,
and the tracking events that move an order from ready to ship to delivered."""
