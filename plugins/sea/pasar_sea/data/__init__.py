"""Regional facts for the Southeast Asian markets, one module per subject.

Every value carries ``source``: the IDs of ``shared/REGIONS.md`` it comes from. A fact the
document marks as unverified is still used when it is the best available, and says so in a
comment next to it.
"""
