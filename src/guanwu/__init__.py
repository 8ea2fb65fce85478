"""guanwu (关务): customs declaration service platform."""

__version__ = "0.1.0"
