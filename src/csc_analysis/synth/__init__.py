"""Deterministic synthetic local data, clearly labelled, for demos and tests. Never real people."""
