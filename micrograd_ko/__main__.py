"""Command line: `python -m micrograd_ko demo` trains a small network; `draw` renders an expression."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

USAGE = """usage: python -m micrograd_ko COMMAND [options]

commands:
  demo    train an MLP on the two-moons data and print loss and accuracy
  draw    build an expression, run backward and render its graph to SVG
  exercises  write the learner's notebooks and the answer key, or check a class's progress

Run `python -m micrograd_ko COMMAND --help` for a command's options."""


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a sub-command; returns the process exit code.

    When the reader of stdout goes away (`python -m micrograd_ko demo | head -1`)
    the program stops quietly, as Unix tools do, with the code a shell reports
    for SIGPIPE (141), instead of a BrokenPipeError traceback.
    """
    try:
        code = _dispatch(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe may only show here, at the last buffered write
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    return code


EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a real file (tests capture it): nothing is left to flush
        pass


def _dispatch(args: list[str]) -> int:
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "demo":
        from micrograd_ko.cli.demo import main as demo_main

        return demo_main(rest)
    if command == "draw":
        from micrograd_ko.cli.draw import main as draw_main

        return draw_main(rest)
    if command == "exercises":
        from micrograd_ko.cli.exercises import main as exercises_main

        return exercises_main(rest)
    commands = "'demo', 'draw', 'exercises'"
    print(f"error: micrograd_ko: COMMAND must be one of {commands}, got {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
