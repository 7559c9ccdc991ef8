"""Ledger: the double-entry books every money movement of a tenant passes through.

``service.post`` writes balanced, idempotent transactions; ``postings`` has the recipes other
domains call (a captured payment, a completed order, a refund, a payout, ad spend) with plain
values, never ORM objects of those domains; ``payouts`` pays sellers and creators what the
books say they are owed; ``statements`` reads the books back for owners and operators.
"""
