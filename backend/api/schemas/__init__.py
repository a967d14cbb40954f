"""Pydantic models of the REST API: request bodies (strict, bounded) and responses."""
