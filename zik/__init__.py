"""zik: a local-first command-line companion for the Zik AI goal system."""

__version__ = "0.1.0"
