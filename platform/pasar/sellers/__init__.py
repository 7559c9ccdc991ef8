"""Sellers: shops, their KYC as the region plugin asks for it, documents, bank account and review."""
