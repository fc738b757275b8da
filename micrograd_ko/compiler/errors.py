"""The compiler's two errors: a graph that cannot be compiled, and a trace that does not fit a sample."""

from __future__ import annotations

__all__ = ["CompileError", "TraceCheckError"]


class CompileError(ValueError):
    """The traced graph cannot be compiled: an op that does not vectorize, a parameter not listed, ..."""


class TraceCheckError(AssertionError):
    """`check=True` replayed a sample eagerly and got another result than the compiled program."""
