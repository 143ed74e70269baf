"""scoring: see the package's modules."""
