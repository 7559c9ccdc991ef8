"""The United States' regional facts as typed values, each with its REGIONS.md source IDs."""
