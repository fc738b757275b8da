"""The README's Python examples run as written and print what the README says."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index: int) -> None:
    source = BLOCKS[index]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, f"README.md block {index}", "exec"), {})
    expected = re.findall(r"^print\(.*#.*→ (.*)$", source, flags=re.MULTILINE)
    assert printed.getvalue().splitlines() == expected


GUIDE = re.search(
    r"## 코드 읽기 안내 \(how to read the code\)\n(.*?)\n## ", README.read_text(encoding="utf-8"), flags=re.DOTALL
)
PLACE = re.compile(r"(?:`(micrograd_ko/[\w/]+\.py)` |같은 파일 |그리고 )?(\d+)–(\d+)줄 \(`([^`]+)`\)")


def _places() -> list[tuple[str, int, int, str]]:
    """Every (file, first line, last line, definition) the reading guide names; a bare range is in the last file."""
    assert GUIDE is not None, "the README has no section 코드 읽기 안내"
    places, path = [], ""
    for match in PLACE.finditer(GUIDE.group(1)):
        path = match.group(1) or path
        places.append((path, int(match.group(2)), int(match.group(3)), match.group(4)))
    return places


def test_the_reading_guide_names_five_places_in_order() -> None:
    numbered = re.findall(r"^(\d)\. \*\*", GUIDE.group(1) if GUIDE else "", flags=re.MULTILINE)
    assert numbered == ["1", "2", "3", "4", "5"]
    assert len(_places()) >= 5


@pytest.mark.parametrize(("path", "first", "last", "definition"), _places())
def test_each_range_of_the_reading_guide_starts_at_its_definition(
    path: str, first: int, last: int, definition: str
) -> None:
    source = (README.parent / path).read_text(encoding="utf-8")
    lines = source.splitlines()
    assert first < last <= len(lines), f"{path}: lines {first}-{last} are outside the file"
    if definition.startswith('"'):  # an op block: register(Op( then its name
        assert (lines[first - 1], lines[last - 1]) == ("register(Op(", "))"), f"{path}:{first} is not a whole block"
        assert lines[first].strip().startswith(f"{definition},"), f"{path}:{first + 1} is not the {definition} block"
        return
    kind, name = definition.split()
    wanted = ast.ClassDef if kind == "class" else ast.FunctionDef
    nodes = ast.walk(ast.parse(source))
    starts = {node.lineno: node for node in nodes if isinstance(node, wanted) and node.name == name}
    assert first in starts, f"{path}:{first} is not where {definition} starts (it starts at {sorted(starts)})"
    assert last <= starts[first].end_lineno, f"{path}:{last} runs past the end of {definition}"
