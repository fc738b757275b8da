"""What the sub-commands share about their arguments: one-line usage errors, exit codes, numbers and paths.

Every problem with an option reads as the package's argument errors do,
`{command}: {option} must be {rule}, got {text!r}`, on one line after
`error:`, and the command exits with EXIT_USAGE, before any work is done.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

__all__ = ["EXIT_OK", "EXIT_RENDER_FAILED", "EXIT_USAGE", "OneLineParser", "blocking_file", "whole_number"]

EXIT_OK, EXIT_RENDER_FAILED, EXIT_USAGE = 0, 1, 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (what is wrong and where to read more), not the usage block."""

    def error(self, message: str) -> NoReturn:
        """Print `error: {message} (see {prog} --help)` to stderr and exit with EXIT_USAGE."""
        self.exit(EXIT_USAGE, f"error: {message} (see {self.prog} --help)\n")


def whole_number(text: str, what: str, low: int, high: int | None = None) -> int:
    """An option's text as an int in [low, high] (no upper bound when `high` is None).

    Raises ValueError `{what} must be {rule}, got {text!r}`; `what` is "command: --option".
    """
    rule = f"a whole number from {low} to {high}" if high is not None else f"a whole number >= {low}"
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"{what} must be {rule}, got {text!r}") from None
    if number < low or (high is not None and number > high):
        raise ValueError(f"{what} must be {rule}, got {text!r}")
    return number


def blocking_file(path: Path) -> Path | None:
    """`path` or the first of its folders that exists as something other than a folder, or None.

    Writing into `path` as a folder (making it when missing) fails exactly when this is not None.
    """
    for place in (path, *path.parents):
        if place.exists() and not place.is_dir():
            return place
    return None
