"""attain's benchmark: attain side by side with pandas, DuckDB, Polars and Prometheus (see docs/performance.md)."""
