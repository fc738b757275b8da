"""`python -m micrograd_ko draw`: build a formula's graph, run backward, and save its picture.

    python -m micrograd_ko draw "x1*w1 + x2*w2 + b" --var x1=2 --var w1=-3 \\
        --var x2=0 --var w2=1 --var b=6.88 --apply tanh -o out.svg

The formula is parsed by `micrograd_ko.expression` (an allow-list over `ast`,
never `eval`).  `--param` declares a trainable weight, drawn in the parameter
colour; `--steps DIR` also writes `DIR/index.html`, a page that replays
backpropagation frame by frame with a slider.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from micrograd_ko.engine import DomainError, Role, Value
from micrograd_ko.expression import FUNCTIONS, ExpressionError, evaluate
from micrograd_ko.viz import FORMATS, RANKDIRS, GraphvizNotFoundError, save, save_steps

__all__ = ["main"]

EXIT_OK, EXIT_RENDER_FAILED, EXIT_USAGE = 0, 1, 2


def _assignment(text: str) -> tuple[str, float]:
    """Parse NAME=VALUE (for --var and --param)."""
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE such as x1=2.5, got {text!r}")
    if name in FUNCTIONS:
        raise argparse.ArgumentTypeError(f"{name!r} is a function name; choose another variable name")
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"value of {name} must be a number, got {number!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m micrograd_ko draw",
        description="Build a formula's computation graph, run backward() and draw it with data and grad.",
        epilog='example: python -m micrograd_ko draw "x1*w1 + x2*w2 + b" --var x1=2 --var w1=-3 '
        "--var x2=0 --var w2=1 --var b=6.88 --apply tanh -o out.svg",
    )
    parser.add_argument("formula", help="numbers, variables, + - * / ** and the functions " + ", ".join(FUNCTIONS))
    parser.add_argument("--var", action="append", default=[], type=_assignment, metavar="NAME=VALUE", help="an input")
    parser.add_argument(
        "--param", action="append", default=[], type=_assignment, metavar="NAME=VALUE", help="a trainable parameter"
    )
    parser.add_argument(
        "--apply", action="append", default=[], choices=list(FUNCTIONS), metavar="FUNCTION", help="applied in order"
    )
    parser.add_argument("-o", "--output", default="graph.svg", help="file to write: .svg, .png, .pdf or .dot")
    parser.add_argument("--steps", metavar="DIR", help="also write DIR/index.html: backward step by step")
    parser.add_argument("--local-grad", action="store_true", help="write d(out)/d(in) on every edge")
    parser.add_argument("--no-backward", action="store_true", help="draw before backward() (grads shown as ?)")
    parser.add_argument("--rankdir", choices=RANKDIRS, default="LR", help="layout direction (default LR)")
    parser.add_argument("--digits", type=int, default=4, help="significant digits shown (default 4)")
    parser.add_argument("--max-nodes", type=int, default=500, help="refuse graphs with more Values (default 500)")
    return parser


def _build(formula: str, args: argparse.Namespace) -> tuple[Value, dict[str, Value]]:
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


def main(argv: Sequence[str]) -> int:
    """Run the draw sub-command with `argv` (the words after `draw`); returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exit_request:  # --help, or a usage error already printed by argparse
        return EXIT_OK if exit_request.code in (0, None) else EXIT_USAGE
    output = Path(args.output)
    if output.suffix.lstrip(".").lower() not in FORMATS:
        parser.print_usage(sys.stderr)
        print(f"error: --output must end in one of .{', .'.join(FORMATS)}; got {args.output!r}", file=sys.stderr)
        return EXIT_USAGE
    try:
        root, variables = _build(args.formula, args)
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
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        save(root, output, show_local_grad=args.local_grad, **options)
        print(f"wrote {output}")
        if args.steps:
            page = save_steps(root, args.steps, show_local_grad=True, **options)
            print(f"wrote backward step by step: {page}")
    except ValueError as error:  # includes GraphTooLargeError
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except GraphvizNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_RENDER_FAILED
    return EXIT_OK
