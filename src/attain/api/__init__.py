"""The HTTP API: FastAPI under /api/v1, token auth with roles and tenant scope, HTTP ingestion."""
