"""Synthetic, seeded demo region for Threadline (real geography, synthetic people)."""
