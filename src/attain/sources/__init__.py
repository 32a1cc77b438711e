"""Measurements in: files now; HTTP, Prometheus and SQL engines later."""
