"""Rendering drawings to files: `save(root, path)`, the formats, the Korean-font check, the slow-render notice.

`render` is the one place that runs Graphviz's `dot`: `save` and the
step-through page both go through it, so a missing `dot` is reported one way
(`GraphvizNotFoundError`, with how to install it) and a long layout is
announced on stderr instead of looking like a hang.  PNG and PDF draw Hangul
only with a Korean font installed; `save` warns (`MissingFontWarning`) when
fontconfig lists none.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphviz

from micrograd_ko.autograd import Value
from micrograd_ko.viz._checks import check_options, check_path, check_root
from micrograd_ko.viz.errors import GraphvizNotFoundError, MissingFontWarning
from micrograd_ko.viz.graph import draw

__all__ = ["FORMATS", "korean_font_installed", "render", "save"]

FORMATS = ("svg", "png", "pdf", "dot")
"""What `save` writes: SVG, PNG, PDF (rendered by Graphviz), or the DOT source itself."""

_INSTALL_GRAPHVIZ = (
    "Install Graphviz: 'apt-get install graphviz fonts-nanum' (Debian/Ubuntu), 'brew install graphviz' (macOS) "
    "or 'conda install -c conda-forge graphviz'"
)
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_font_warning_given = False


def save(root: Value, path: str | Path, *, format: str | None = None, **options: Any) -> Path:
    """Draw the graph ending at `root` and write it to `path`; returns the path written.

    The format comes from `format` or the file's suffix: svg, png, pdf, or dot
    (the Graphviz source, which needs no Graphviz install).  `options` are
    `draw`'s keyword arguments.  PNG and PDF need a Korean font installed for
    Hangul labels (`fonts-nanum` on Debian/Ubuntu): without one, a
    `MissingFontWarning` is issued once per session.  SVG leaves fonts to the viewer.

    Raises GraphvizNotFoundError, after writing the `.dot` source next to
    `path`, when Graphviz's `dot` program is not installed.
    """
    check_root(root, "save")
    check_path(path, "save: path")
    if format is not None and not isinstance(format, str):
        raise TypeError(f"save: format must be one of {', '.join(map(repr, FORMATS))} or None, got {format!r}")
    check_options("save", **options)
    target = Path(path)
    chosen = (format or target.suffix.lstrip(".") or "svg").lower()
    if chosen not in FORMATS:
        choices = ", ".join(map(repr, FORMATS))
        raise ValueError(f"save: format must be one of {choices}, got {chosen!r} (from {str(path)!r})")
    graph = draw(root, **options)
    if chosen == "dot":
        target.write_text(graph.source, encoding="utf-8")
        return target
    if chosen in ("png", "pdf"):
        _warn_if_hangul_would_be_boxes(graph.source, target)
    target.write_bytes(render(graph, chosen, "save", str(target), source=target.with_suffix(".dot"), target=target))
    return target


def render(
    graph: graphviz.Digraph,
    format: str,
    function: str,
    subject: str,
    *,
    source: Path | None = None,
    target: Path | None = None,
) -> bytes:
    """Run Graphviz's `dot` on `graph` and return the picture in `format` (svg, png, pdf).

    `function` (the public caller) and `subject` (what is drawn: a file name, "162 Values") name the work
    in the stderr notice of a slow layout and in errors.  Without `dot`, the DOT source is written to
    `source` when given, and GraphvizNotFoundError says how to install Graphviz (and, given `target`,
    the one `dot` command that finishes the job).
    """
    try:
        with _announce_if_slow(f"{function}: Graphviz is laying out {subject}"):
            return bytes(graph.pipe(format=format))
    except graphviz.ExecutableNotFound as error:
        written = ""
        then = "call this function again"
        if source is not None:
            source.write_text(graph.source, encoding="utf-8")
            written = f"; the graph source was written to {source} instead"
            if target is not None:
                then = f"run 'dot -T{format} {source} -o {target}' or {then}"
        raise GraphvizNotFoundError(
            f"{function}: Graphviz's 'dot' program was not found on PATH, so {subject} could not be rendered"
            f"{written}. {_INSTALL_GRAPHVIZ}; then {then}."
        ) from error


@functools.lru_cache(maxsize=1)
def korean_font_installed() -> bool | None:
    """Whether fontconfig (which Graphviz uses for PNG/PDF) lists a Hangul font; None if `fc-list` is absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        found = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(found.stdout.strip())


def _warn_if_hangul_would_be_boxes(source: str, target: Path) -> None:
    """Warn once per session when the drawing has Hangul and fontconfig knows no Korean font."""
    global _font_warning_given
    if _font_warning_given or not _HANGUL.search(source) or korean_font_installed() is not False:
        return
    _font_warning_given = True
    warnings.warn(
        f"save: no Korean (Hangul) font is installed ('fc-list :lang=ko' lists none), so the Hangul text in "
        f"{target} will be drawn as boxes. Install one: 'apt-get install fonts-nanum' (Debian/Ubuntu), "
        "'brew install --cask font-nanum-gothic' (macOS), or any Noto Sans CJK KR font; or save as .svg, "
        "which leaves fonts to the viewer.",
        MissingFontWarning,
        stacklevel=3,
    )


@contextmanager
def _announce_if_slow(message: str, *, after: float = 2.0) -> Iterator[None]:
    """Tell stderr `message` if the block is still running after `after` seconds, and then how long it took.

    Quick work stays silent; long Graphviz layouts no longer look like a hang.
    """
    lock = threading.Lock()
    state = {"announced": False, "finished": False}
    started = time.perf_counter()

    def announce() -> None:
        with lock:
            if not state["finished"] and not state["announced"]:
                state["announced"] = True
                print(f"{message} ...", file=sys.stderr, flush=True)

    timer = threading.Timer(after, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        elapsed = time.perf_counter() - started
        with lock:
            state["finished"] = True
            if not state["announced"] and elapsed >= after:
                state["announced"] = True
                print(f"{message} ...", file=sys.stderr, flush=True)
            if state["announced"]:
                print(f"{message}: done in {elapsed:.1f} s", file=sys.stderr, flush=True)
