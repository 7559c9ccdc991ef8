"""The regional facts of the UK/EU plugin, one module per subject, as typed values with the
``shared/REGIONS.md`` source IDs they come from."""
