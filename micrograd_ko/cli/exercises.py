"""`python -m micrograd_ko exercises`: the learner's notebooks and the answer key for a teacher, or a class's progress.

    python -m micrograd_ko exercises --student out/student --key out/key
    python -m micrograd_ko exercises --progress submissions/

`--student DIR` writes every notebook with its exercises' solutions replaced by
stubs (what `notebooks/` holds); `--key DIR` writes them with the solutions
between nbgrader's markers, ready for `nbgrader` to import.  Both are composed
by the repository's own `notebooks/build.py`, from `notebooks/NN_name.py` and
`exercises/NN.py`: the installed package does not ship the solutions, so these
two need a checkout (`--repo`, default: the folder it is run in or one above).
`--progress DIR` runs the exercise cells of each learner's notebook in DIR and
prints which checks pass.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from micrograd_ko.cli._arguments import EXIT_OK, OneLineParser, blocking_file
from micrograd_ko.exercises.compose import find_repository

__all__ = ["main"]


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog="python -m micrograd_ko exercises",
        description="Write the learner's notebooks (stubs) and the answer key (solutions), or report progress.",
    )
    parser.add_argument("--student", metavar="DIR", help="write the learner's notebooks (no solutions) here")
    parser.add_argument("--key", metavar="DIR", help="write the answer key (solutions, nbgrader markers) here")
    parser.add_argument("--progress", metavar="DIR", help="check the learner's notebooks in DIR and print a summary")
    parser.add_argument("--repo", metavar="PATH", help="the micrograd_ko checkout (default: found from here)")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run the command; returns the exit code (EXIT_USAGE with one line on stderr for a bad option)."""
    parser = _parser()
    args = parser.parse_args(list(argv))
    if not (args.student or args.key or args.progress):
        parser.error("exercises: one of --student, --key or --progress must be given, got none")
    targets = {form: Path(folder) for form, folder in (("student", args.student), ("key", args.key)) if folder}
    repository = None
    if targets:
        repository = _repository(parser, args.repo)
        for form, folder in targets.items():
            _check_folder(parser, f"--{form}", folder, repository)
        if len(targets) == 2 and targets["student"].resolve() == targets["key"].resolve():
            parser.error(f"exercises: --key must be another folder than --student, got {args.key!r} for both")
    if args.progress:
        folder = Path(args.progress)
        if not folder.is_dir() or not sorted(folder.glob("*.ipynb")):
            parser.error(f"exercises: --progress must be a folder of .ipynb notebooks, got {args.progress!r}")
    if repository is not None:
        build = _load_build(repository)
        for form, folder in targets.items():
            written = _write(build, form, folder)
            print(f"{form}: wrote {written} notebooks to {folder}")
    if args.progress:
        _report(Path(args.progress))
    return EXIT_OK


def _repository(parser: OneLineParser, given: str | None) -> Path:
    """The checkout: `given`, else the one holding the current folder, else the one the package was installed from."""
    if given is not None:
        found: Path | None = Path(given).resolve()
    else:
        found = find_repository() or find_repository(Path(__file__).parent)
    if found is None or not (found / "exercises").is_dir() or not (found / "notebooks" / "build.py").is_file():
        parser.error(
            "exercises: --repo must be a micrograd_ko checkout with exercises/ and notebooks/build.py "
            "(the installed package does not ship the solutions), "
            f"got {given if given is not None else str(Path.cwd())!r}"
        )
    return found


def _check_folder(parser: OneLineParser, option: str, folder: Path, repository: Path) -> None:
    blocked = blocking_file(folder)
    if blocked is not None:
        parser.error(f"exercises: {option} must be a folder, got {str(folder)!r} ({str(blocked)!r} is a file)")
    if folder.resolve() == (repository / "notebooks").resolve():
        parser.error(f"exercises: {option} must not be the repository's notebooks/ folder, got {str(folder)!r}")


def _load_build(repository: Path) -> ModuleType:
    """The repository's notebooks/build.py, which composes each notebook with its exercises."""
    spec = importlib.util.spec_from_file_location("micrograd_ko_notebooks_build", repository / "notebooks" / "build.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"exercises: --repo must hold a loadable notebooks/build.py, got {str(repository)!r}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as missing:
        raise SystemExit(
            f"error: exercises: writing notebooks needs the notebooks extra (pip install -e '.[notebooks]'): {missing}"
        ) from None
    return module


def _write(build: ModuleType, form: str, folder: Path) -> int:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    sources = build.notebook_sources()
    for source in sources:
        target = folder / source.with_suffix(".ipynb").name
        nbformat.write(build.read_source(source, form), target)  # type: ignore[no-untyped-call]
    return len(sources)


def _report(folder: Path) -> None:
    from micrograd_ko.exercises import EXERCISES
    from micrograd_ko.exercises.progress import progress_of_notebook, summary

    for path in sorted(folder.glob("*.ipynb")):
        number = path.name.split("_", 1)[0]
        outcomes = progress_of_notebook(path)
        if any(e.notebook == number for e in EXERCISES.values()):
            print(f"{path.name}\n{summary(number, outcomes)}")
