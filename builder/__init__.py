"""guide: a static site generator for exercise guides."""

__version__ = "0.1.0"
__all__ = ["__version__"]
