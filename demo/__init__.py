"""Demo and load tooling: the demo seed, its fixed data, synthetic load data (not the domain)."""
