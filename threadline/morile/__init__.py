"""morile: see the package's modules."""
