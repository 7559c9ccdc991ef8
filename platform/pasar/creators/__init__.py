"""Creators: profiles, collaborations with shops, promotion links, attribution and commission."""
