"""Seller advertising: In-Feed and Spark campaigns, the auction for sponsored feed slots, spend."""
