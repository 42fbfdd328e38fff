"""Live preview: build in memory, serve on loopback, rebuild on change, reload the browser."""

from __future__ import annotations

from .build import Options


def serve(options: Options, host: str, port: int) -> int:
    raise NotImplementedError
