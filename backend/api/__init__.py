"""HTTP and WebSocket service: the outermost layer, which may import jobs and engine."""
