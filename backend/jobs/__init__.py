"""Training jobs: run the engine's trainer for one spec and turn its steps into frames.

This layer may import ``backend.engine`` but nothing from ``backend.api`` and no web
framework or HTTP/WebSocket library (enforced by ``tests/test_architecture.py``).
"""
