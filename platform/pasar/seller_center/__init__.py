"""The seller center: the web pages a shop runs its business from, under ``/seller``.

Shop registration with KYC documents, the product editor (texts, variants, pictures) and
inventory, orders to accept and ship (labels from the marketplace's carriers), returns, live
selling (go live, pin, answer questions), affiliate offers, ad campaigns, and money (balance,
statement, payouts, sales per day). Each area is a module of thin views over the domain services
the REST API uses; ``blueprint`` holds what they share. Registered by ``KERNEL_BLUEPRINTS``.
"""
from __future__ import annotations

from pasar.seller_center.blueprint import blp
from pasar.seller_center import ads, affiliate, live, money, orders, products, shop  # noqa: F401  (their routes)

__all__ = ["blp"]
