"""`python -m micrograd_ko draw`: build a formula's graph, run backward, and save its picture.

    python -m micrograd_ko draw "x1*w1 + x2*w2 + b" --var x1=2 --var w1=-3 \\
        --var x2=0 --var w2=1 --var b=6.88 --apply tanh -o out.svg

The formula is parsed by `micrograd_ko.cli.expression` (an allow-list over `ast`,
never `eval`).  `--param` declares a trainable weight, drawn in the parameter
colour; `--steps DIR` also writes `DIR/index.html`, a page that replays
backpropagation frame by frame with a slider.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from micrograd_ko.autograd import DomainError, Role, Value
from micrograd_ko.autograd.checks import one_of
from micrograd_ko.cli._arguments import (
    EXIT_OK,
    EXIT_RENDER_FAILED,
    EXIT_USAGE,
    OneLineParser,
    blocking_file,
    whole_number,
)
from micrograd_ko.cli.expression import FUNCTIONS, ExpressionError, evaluate
from micrograd_ko.viz import FORMATS, RANKDIRS, GraphvizNotFoundError, save, save_steps

__all__ = ["main"]

DIGITS, MAX_NODES = 4, 500
"""The defaults of --digits and --max-nodes."""

_NOT_A_FOLDER = "is a file, not a directory"


def _assignment(text: str, what: str) -> tuple[str, float]:
    """Parse NAME=VALUE (for --var and --param); `what` is "draw: --var" or "draw: --param"."""
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ValueError(f"{what} must be NAME=VALUE such as x1=2.5, got {text!r}")
    if name in FUNCTIONS:
        raise ValueError(f"{what} must be NAME=VALUE with a NAME that is not a function ({name} is one), got {text!r}")
    try:
        return name, float(number)
    except ValueError:
        raise ValueError(f"{what} must be NAME=VALUE with a number as VALUE, got {text!r}") from None


def _checked_options(args: argparse.Namespace) -> None:
    """Turn the options' text into checked values in place; ValueError or TypeError naming the first bad one.

    They are read as text and checked here, not by argparse's `type=`, so that a
    bad one is reported in the package's shape, `draw: --digits must be ..., got '0'`.
    """
    args.var = [_assignment(text, "draw: --var") for text in args.var]
    args.param = [_assignment(text, "draw: --param") for text in args.param]
    args.apply = [one_of(name, tuple(FUNCTIONS), "draw: --apply") for name in args.apply]
    args.rankdir = one_of(args.rankdir, RANKDIRS, "draw: --rankdir")
    # a float has at most 17 significant digits that mean anything
    args.digits = whole_number(args.digits, "draw: --digits", 1, 17)
    args.max_nodes = whole_number(args.max_nodes, "draw: --max-nodes", 1)


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m micrograd_ko draw",
        description="Build a formula's computation graph, run backward() and draw it with data and grad.",
        epilog='example: python -m micrograd_ko draw "x1*w1 + x2*w2 + b" --var x1=2 --var w1=-3 '
        "--var x2=0 --var w2=1 --var b=6.88 --apply tanh -o out.svg",
    )
    parser.add_argument(
        "formula",
        nargs="?",
        help="numbers, variables, + - * / ** and the functions " + ", ".join(FUNCTIONS) + " (may start with '-')",
    )
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="an input")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a trainable parameter")
    parser.add_argument(
        "--apply", action="append", default=[], metavar="FUNCTION", help="applied in order: " + ", ".join(FUNCTIONS)
    )
    parser.add_argument("-o", "--output", default="graph.svg", help="file to write: .svg, .png, .pdf or .dot")
    parser.add_argument("--steps", metavar="DIR", help="also write DIR/index.html: backward step by step")
    parser.add_argument("--local-grad", action="store_true", help="write d(out)/d(in) on every edge")
    parser.add_argument("--no-backward", action="store_true", help="draw before backward() (grads shown as ?)")
    parser.add_argument(
        "--rankdir", default="LR", metavar="DIR", help=f"layout direction, one of {', '.join(RANKDIRS)} (default LR)"
    )
    parser.add_argument("--digits", default=str(DIGITS), help=f"significant digits shown, 1 to 17 (default {DIGITS})")
    parser.add_argument(
        "--max-nodes", default=str(MAX_NODES), help=f"refuse graphs with more Values (default {MAX_NODES})"
    )
    return parser


def _formula_graph(formula: str, args: argparse.Namespace) -> tuple[Value, dict[str, Value]]:
    """The formula's result (with --apply's functions applied) and the Values of its variables by name."""
    variables: dict[str, Value] = {}
    kinds: tuple[tuple[Role, list[tuple[str, float]]], ...] = (("input", args.var), ("parameter", args.param))
    for role, pairs in kinds:
        for name, number in pairs:
            if name in variables:
                raise ExpressionError(f"{name} is given twice (with --var/--param); give each name once")
            variables[name] = Value(number, label=name, role=role)
    result = evaluate(formula, variables)
    for function in args.apply:
        previous = result.label or "…"
        result = FUNCTIONS[function](result)
        result.label = f"{function}({previous})" if len(previous) <= 40 else f"{function}(…)"
    return result, variables


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse the arguments, accepting a formula that starts with '-' (`draw "-x+1" --var x=1`).

    argparse takes any word starting with '-' for an option; a word it does not
    know as one is taken as the formula when no other formula was given.
    """
    args, unknown = parser.parse_known_args(argv)
    if args.formula is None and len(unknown) == 1 and unknown[0] != "--":
        args.formula, unknown = unknown[0], []
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.formula is None:
        parser.error('the formula is missing; if it starts with "-", put it last after --: draw --var x=1 -- -x+1')
    try:
        _checked_options(args)
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    return args


def _first_non_finite(root: Value) -> Value | None:
    """The first node, in the order the graph was computed, whose value is inf or NaN."""
    if math.isfinite(root.data):
        return None
    return next((node for node in root.topological_order() if not math.isfinite(node.data)), None)


def _overflow_warning(root: Value) -> str | None:
    """One line naming the op where the result first stopped being a finite number, or None."""
    first = _first_non_finite(root)
    if first is None:
        return None
    if not first.parents:  # nothing overflowed: a --var or --param was given as nan or inf (or past 1.8e308)
        hint = "" if math.isnan(first.data) else " (a number past about 1.8e308 does not fit a float)"
        return (
            f"warning: the result is {root.data} because the {first.role} {first.label!r} is {first.data}, "
            f"not a finite number{hint}"
        )
    inputs = ", ".join(f"{parent.data:.6g}" for parent in first.parents[:4])
    inputs += ", …" if len(first.parents) > 4 else ""
    where = f" at {first.label!r}" if first.label else ""
    return (
        f"warning: the result is {root.data}: it overflowed first in op {first.op!r}{where}, "
        f"which gave {first.data} from ({inputs})"
    )


def _check_paths(output: Path, steps: str | None) -> str | None:
    """Say what is wrong with the places to write, before any work is done; None when they look fine."""
    if output.suffix.lstrip(".").lower() not in FORMATS:
        endings = ", ".join(repr(f".{name}") for name in FORMATS)
        return f"draw: --output must be a file name ending in one of {endings}, got {str(output)!r}"
    if output.is_dir():
        example = str(output / "graph.svg")
        return f"draw: --output must be a file name such as {example!r}, got {str(output)!r}, which is a directory"
    blocker = blocking_file(output.parent)
    if blocker is not None:
        return f"draw: --output must be a path through folders, got {str(output)!r}: {blocker} {_NOT_A_FOLDER}"
    blocker = None if steps is None else blocking_file(Path(steps))
    if blocker is not None:
        return f"draw: --steps must be a new or existing folder, got {steps!r}: {blocker} {_NOT_A_FOLDER}"
    return None


def _write(root: Value, output: Path, args: argparse.Namespace, options: dict[str, Any]) -> None:
    """Save the picture (and the steps); a failed write removes the partial file it left behind."""
    existed = output.exists()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        save(root, output, show_local_grad=args.local_grad, **options)
    except OSError:
        if not existed:
            with contextlib.suppress(OSError):
                output.unlink(missing_ok=True)
        raise
    print(f"wrote {output}")
    if args.steps:
        page = save_steps(root, args.steps, show_local_grad=True, **options)
        print(f"wrote backward step by step: {page}")


def _os_error(error: OSError) -> str:
    """One line for a failed file operation: what failed, where, and the system's reason."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or str(error)
    return f"cannot write{where}: {reason}"


def main(argv: Sequence[str]) -> int:
    """Run the draw sub-command with `argv` (the words after `draw`); returns the exit code."""
    parser = _parser()
    try:
        args = _parse(parser, list(argv))
    except SystemExit as exit_request:  # --help, or a usage error already printed by argparse
        return EXIT_OK if exit_request.code in (0, None) else EXIT_USAGE
    output = Path(args.output)
    problem = _check_paths(output, args.steps)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        root, variables = _formula_graph(args.formula, args)
    except (ExpressionError, DomainError, ZeroDivisionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    options = {"rankdir": args.rankdir, "digits": args.digits, "max_nodes": args.max_nodes}
    if not args.no_backward:
        root.backward()
    print(f"{root.label or 'result'} = {root.data:.{args.digits}g}")
    if not args.no_backward:
        for name, value in variables.items():
            print(f"  grad {name} = {value.grad:.{args.digits}g}")
    warning = _overflow_warning(root)
    if warning is not None:
        print(warning, file=sys.stderr)
    try:
        _write(root, output, args, options)
    except ValueError as error:  # includes GraphTooLargeError
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except GraphvizNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_RENDER_FAILED
    except OSError as error:  # a directory in the way, no permission, a full disk
        print(f"error: {_os_error(error)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
