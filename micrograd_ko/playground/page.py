"""The recorded run as one offline HTML page: the frames, the same diagram and hover details, a slider.

`save_page(session, path)` writes one self-contained file: the playground's
ES module (`playground.js`, read from the package) inline in a module script,
and the recording (`Recording.to_dict`) as JSON beside it.  The page computes
the surface and every neuron's map from each frame's weights, so it needs no
server, no network and no Python; it opens from ``file://``.  The page keeps
the setup text, the step and the chosen point in its URL fragment
(``#mgk1....&t=120&p=3``), so a copied link opens the same view.

The page shows the points as they were when it was saved: a point added
mid-run appears in every frame, although the frames before it trained
without it.  A long run can keep every k-th step (`every=k`, the last step
always kept): a step costs about 1.7 KB for the default 2-4-4-1 network.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.playground.session import Session

__all__ = ["ESM_PATH", "TITLE", "page_data", "page_html", "save_page"]

TITLE = "놀이터 (playground): 기록된 학습"
ESM_PATH = Path(__file__).with_name("playground.js")
"""The playground's JavaScript module, shared by the widget and the page."""

_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
<h1 style="font-family:sans-serif;font-size:18px">{title}</h1>
<div id="mgk-playground"></div>
<script type="application/json" id="mgk-playground-data">{data}</script>
<script type="module">
{script}
mountPage(document.getElementById("mgk-playground"),
  JSON.parse(document.getElementById("mgk-playground-data").textContent));
</script>
</body>
</html>
"""


def page_data(session: Session, every: int = 1) -> dict[str, Any]:
    """The JSON the page reads: the session's recording (every `every`-th step and the last), points, setup, grid."""
    if not isinstance(session, Session):
        raise TypeError(f"save_page: session must be a playground Session, got {session!r}")
    every = positive_integer(every, "save_page: every")
    data = session.recording.to_dict(session.points, session.setup)
    frames = data["frames"]
    data["frames"] = [f for k, f in enumerate(frames) if k % every == 0 or k == len(frames) - 1]
    data["grid"] = session.grid
    return data


def page_html(session: Session, title: str = TITLE, every: int = 1) -> str:
    """The whole page as text (see the module docstring)."""
    payload = json.dumps(page_data(session, every), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # "</" inside a <script> element would end it early
    return _PAGE.format(
        title=html.escape(title), data=payload.replace("</", "<\\/"), script=ESM_PATH.read_text(encoding="utf-8")
    )


def save_page(session: Session, path: str | Path, title: str = TITLE, every: int = 1) -> Path:
    """Write `page_html(session, title, every)` to `path` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(page_html(session, title, every), encoding="utf-8")
    return target
