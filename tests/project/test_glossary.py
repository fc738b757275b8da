"""The glossary (docs/glossary.md) stays true to the notebooks.

Every term a notebook glosses as `한국어(English)` (in its source `notebooks/NN_name.py`
or its exercises `exercises/NN.py`) has an entry, and every entry names the notebook
that introduces it: the first, in curriculum order, that glosses it (or, for a term
no notebook glosses, one that mentions it).  The failure messages list exactly the
terms to add or fix, so that after new notebooks are merged the glossary can be
brought up to date from the message alone.
"""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
GLOSSARY = REPOSITORY / "docs" / "glossary.md"

# A Hangul word directly followed by a parenthesised English gloss: 역전파(backpropagation).
GLOSS = re.compile(r"([가-힣][가-힣0-9·\-]*)\(([A-Za-z][A-Za-z0-9 .'’/\-]*[A-Za-z0-9.])\)")

NOT_TERMS = {
    # people and a book, named with their Korean transcription
    "marvin minsky", "seymour papert", "perceptrons", "rumelhart", "hinton", "williams",
    "donald hebb", "bernard widrow", "marcian hoff",
    # the columns of the house-price data of notebook 06
    "area", "bedrooms", "distance", "age",
    # a library's name, a note's seed number, a qualifier of one experiment
    "pytorch", "seed 004", "uniform",
    # a person named with a Korean transcription (notebook 13)
    "salakhutdinov",
    # labels of the playground widget's buttons, panels and helpers (notebook 16), not concepts
    "controls", "play", "play/pause", "reset", "hover", "preset", "setup text", "step-through",
    # the name of a method, session.sizes() (notebook 16)
    "sizes",
}  # fmt: skip
"""Glosses that are not technical terms: names and data columns (add such glosses here, not to the glossary)."""

TRADITIONS = [
    ("역전파", "오차역전파법"),
    ("기울기", "그래디언트"),
    ("학습률", "학습 속도"),
    ("신경망", "뉴럴 네트워크"),
    ("편향", "바이어스"),
    ("매개변수", "파라미터"),
    ("과적합", "과대적합"),
    ("합성곱", "컨볼루션"),
]
"""Terms two Korean traditions name differently: both names must stand in one entry."""


def notebooks() -> dict[str, str]:
    """Each notebook's number and its text: its source and its exercises, in curriculum order."""
    texts = {}
    for source in sorted((REPOSITORY / "notebooks").glob("[0-9][0-9]*_*.py")):
        number = source.name.split("_", 1)[0]
        if not re.fullmatch(r"\d\d[a-z]?", number):
            continue
        exercises = REPOSITORY / "exercises" / f"{number}.py"
        extra = exercises.read_text(encoding="utf-8") if exercises.exists() else ""
        texts[number] = source.read_text(encoding="utf-8") + "\n" + extra
    return texts


def first_glosses() -> dict[str, tuple[str, str]]:
    """Each glossed English term (lower case) -> (the first notebook glossing it, the gloss as written there)."""
    found: dict[str, tuple[str, str]] = {}
    for number, text in notebooks().items():
        for match in GLOSS.finditer(text):
            english = match.group(2).strip().lower()
            if english not in NOT_TERMS:
                found.setdefault(english, (number, match.group(0)))
    return found


def entries() -> list[tuple[str, list[str], str, str]]:
    """(Korean, English forms, definition, notebook number) for every row of the glossary's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in ("한국어", "---"):
            continue
        korean, english, meaning, where = cells
        number = re.fullmatch(r"\[(\d\d[a-z]?)\]\(\.\./notebooks/[^)]+\.ipynb\)", where)
        assert number, f"the notebook cell of {korean!r} must read [NN](../notebooks/NN_name.ipynb), got {where!r}"
        rows.append((korean, [form.strip().lower() for form in english.split(";")], meaning, number.group(1)))
    return rows


def test_the_glossary_has_entries_with_definitions() -> None:
    rows = entries()
    assert len(rows) >= 100
    assert all(korean and meaning and forms[0] for korean, forms, meaning, _ in rows)


def test_every_term_a_notebook_glosses_is_in_the_glossary() -> None:
    listed = {form for _, forms, _, _ in entries() for form in forms}
    missing = {english: where for english, where in first_glosses().items() if english not in listed}
    lines = [
        f"  - {english!r}: notebook {number}, written {gloss}" for english, (number, gloss) in sorted(missing.items())
    ]
    assert not missing, (
        f"{len(missing)} glossed terms are missing from docs/glossary.md (add a row for each, or, for a name "
        "that is not a technical term, add it to NOT_TERMS):\n" + "\n".join(lines)
    )


def test_every_entry_names_the_notebook_that_introduces_it() -> None:
    glossed, texts = first_glosses(), notebooks()
    wrong = []
    for korean, forms, _, number in entries():
        firsts = sorted(glossed[form][0] for form in forms if form in glossed)
        if firsts:
            if number != firsts[0]:
                wrong.append(f"  - {korean} ({'; '.join(forms)}): says {number}, first glossed in {firsts[0]}")
        elif number not in texts:
            wrong.append(f"  - {korean}: says {number}, and there is no notebook {number}")
        else:
            names = [k.strip() for k in korean.split("/")] + forms
            text = texts[number]
            if not any(name in text or name in text.lower() for name in names):
                wrong.append(f"  - {korean}: says {number}, which never mentions it")
    assert not wrong, f"{len(wrong)} glossary entries name the wrong notebook:\n" + "\n".join(wrong)


def test_each_entry_links_a_notebook_that_exists() -> None:
    for korean, _, _, number in entries():
        assert list((REPOSITORY / "notebooks").glob(f"{number}_*.ipynb")), f"{korean}: no notebook {number}"


def test_both_korean_traditions_stand_in_one_entry() -> None:
    names = [{name.strip() for name in korean.split("/")} for korean, _, _, _ in entries()]
    absent = [pair for pair in TRADITIONS if not any(set(pair) <= entry for entry in names)]
    assert not absent, f"give both names in one entry: {absent}"


def test_the_readme_links_the_glossary() -> None:
    assert "docs/glossary.md" in (REPOSITORY / "README.md").read_text(encoding="utf-8")
