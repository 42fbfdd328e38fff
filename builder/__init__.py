"""Timeline Builder: a static-site generator for timelines written as Markdown notes."""

__version__ = "0.1.0"
