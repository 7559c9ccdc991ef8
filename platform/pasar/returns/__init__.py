"""Returns: a buyer's return or statutory withdrawal, the seller's decision, receipt of the
goods, restocking and the refund."""
