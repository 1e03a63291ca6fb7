"""sitegen: a static site generator for programs offered at several locations."""

__version__ = "0.1.0"
