"""The operator console: tenant-spanning pages for the people who run the marketplaces.

Served at ``/console/`` with no tenant; a page about one tenant lives under
``/console/tenants/<code>/`` and opens that tenant's session explicitly, once the signed-in
operator's tenant codes allow it.
"""
