"""Hawk: an R7RS Scheme with a tracing JIT, written in Python."""
__version__ = "0.1.0"
