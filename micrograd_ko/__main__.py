"""Command line: `python -m micrograd_ko demo` trains a small network; `draw` renders an expression."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """usage: python -m micrograd_ko COMMAND [options]

commands:
  demo    train an MLP on the two-moons data and print loss and accuracy
  draw    build an expression, run backward and render its graph to SVG

Run `python -m micrograd_ko COMMAND --help` for a command's options."""


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a sub-command; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "demo":
        from micrograd_ko.demo import main as demo_main

        return demo_main(rest)
    if command == "draw":
        from micrograd_ko.drawcli import main as draw_main

        return draw_main(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
