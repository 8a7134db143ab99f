"""Callable handlers: read req.data, check it, call one service, map domain errors."""
