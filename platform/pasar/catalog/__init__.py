"""Catalog: categories, products, variants with price history and stock, images, listing."""
