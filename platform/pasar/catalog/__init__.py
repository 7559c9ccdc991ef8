"""Catalog: categories, products, variants with price history and stock, images, listing."""
# Registered with the package, not with the web app: every process that writes catalog rows
# (web, worker, CLI, tests) must bump the tenant's catalog generation (see the module).
from pasar.catalog import generations as _generations  # noqa: F401
