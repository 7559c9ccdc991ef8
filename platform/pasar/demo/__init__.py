"""Demo data: the shops, products and logins ``pasar demo seed`` puts in every reference
tenant, so a fresh ``make run`` is a marketplace someone can try at once.

``data`` holds the content (per market, in every language the market offers); ``seed`` puts it
in through the domains' own services, idempotently.
"""
