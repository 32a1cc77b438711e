"""Measurements into the store, exactly once: read, check, batch, store."""
