"""plans: see the package's modules."""
