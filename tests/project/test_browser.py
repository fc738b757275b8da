"""The step-through page in a real browser: Debian's headless Chromium driven by Playwright for Python.

Playwright's own browser download cannot work offline, so the test points it at /usr/bin/chromium
(`make test` installs it with apt when it can, and Playwright from the `browser` extra).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from micrograd_ko import Value, step_through
from micrograd_ko.viz import backward_steps, save_steps
from tests.viz.graphs import DOT_MISSING, neuron

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[browser]'; make test installs it)"
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium; make test installs it)", allow_module_level=True)
if shutil.which("dot") is None:
    pytest.skip(DOT_MISSING, allow_module_level=True)

LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ORANGE = "rgb(255, 127, 14)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Page:
    """A page opened from a file with every network request refused; console errors and requests recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._only_files)
        self.page.goto(path.as_uri())

    def _only_files(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    def frame(self, viewer: str = ".mgk-steps") -> int:
        return int(self.page.locator(viewer).get_attribute("data-frame"))

    def grad_texts(self, element_id: str, count: int) -> list[str]:
        return [self.page.locator(f"#{element_id}-gt{i}").text_content() or "" for i in range(count)]


def cell_text(grad: float | None) -> str:
    """What a grad cell shows with digits=17: '?' before any contribution, and zero without a sign."""
    if grad is None:
        return "grad ?"
    return "grad 0" if grad == 0.0 else f"grad {grad:.17g}"


@pytest.fixture
def neuron_page(browser: Any, tmp_path: Path) -> Iterator[tuple[Page, Value]]:
    out = neuron()
    path = save_steps(out, tmp_path / "steps", digits=17, element_id="viewer")
    page = Page(browser, path)
    yield page, out
    page.page.close()


def test_page_loads_offline_without_console_errors(neuron_page: tuple[Page, Value]) -> None:
    page, out = neuron_page
    assert page.frame() == 0
    assert page.page.locator(".mgk-counter").text_content() == f"1 / {len(out.topological_order())}"
    assert page.page.locator("svg").count() == 1
    assert all(url.startswith("file:") for url in page.requests), page.requests
    page.page.click(".mgk-next")
    assert page.errors == []


def test_slider_buttons_and_arrow_keys_each_move_exactly_one_frame(neuron_page: tuple[Page, Value]) -> None:
    page, _ = neuron_page
    browser_page = page.page
    browser_page.focus(".mgk-slider")
    browser_page.keyboard.press("ArrowRight")  # used to move two frames: the slider's and the page's handler
    assert page.frame() == 1
    browser_page.keyboard.press("ArrowRight")
    assert page.frame() == 2
    browser_page.keyboard.press("ArrowLeft")
    assert page.frame() == 1
    browser_page.click(".mgk-next")
    assert page.frame() == 2
    browser_page.keyboard.press("ArrowRight")  # the focused button: one frame
    assert page.frame() == 3
    browser_page.click(".mgk-prev")
    assert page.frame() == 2
    browser_page.click("h1")  # focus outside the viewer: the page's own arrow keys
    browser_page.keyboard.press("ArrowRight")
    assert page.frame() == 3
    browser_page.keyboard.press("ArrowLeft")
    assert page.frame() == 2
    browser_page.eval_on_selector(
        ".mgk-slider", "slider => { slider.value = '7'; slider.dispatchEvent(new Event('input')); }"
    )
    assert page.frame() == 7
    assert browser_page.locator(".mgk-counter").text_content() == "8 / 10"
    browser_page.keyboard.press("End")
    assert page.frame() == 9
    browser_page.click(".mgk-next")  # past the end stays at the end
    assert page.frame() == 9
    assert page.errors == []


def test_every_frame_highlights_its_node_and_shows_backward_steps_grads(neuron_page: tuple[Page, Value]) -> None:
    page, out = neuron_page
    steps = list(backward_steps(out))
    count = len(steps)
    for k, step in enumerate(steps):
        if k:
            page.page.click(".mgk-next")
        assert page.frame() == k
        active = page.page.eval_on_selector_all(".mgk-active", "elements => elements.map(e => e.id)")
        edges = {f"viewer-e{step.position}_{j}" for j in range(len(step.node.parents))}
        expected = {f"viewer-v{step.position}"} | edges
        assert set(active) == expected
        border = page.page.eval_on_selector(
            f"#viewer-v{step.position} .mgk-border", "border => getComputedStyle(border).stroke"
        )
        assert border == ORANGE
        others = page.page.eval_on_selector_all(
            ".node:not(.mgk-active) .mgk-border", "borders => borders.map(b => getComputedStyle(b).stroke)"
        )
        assert len(others) == count - 1 and ORANGE not in others
        shown = page.grad_texts("viewer", count)
        assert shown == [cell_text(grad) for grad in step.grads]
    page.page.keyboard.press("Home")  # going back shows the earlier state again, not a mix
    assert page.frame() == 0
    assert page.grad_texts("viewer", count) == [cell_text(grad) for grad in steps[0].grads]
    out.backward()
    page.page.keyboard.press("End")
    last = page.grad_texts("viewer", count)
    assert [float(text.removeprefix("grad ")) for text in last] == [node.grad for node in out.topological_order()]
    assert page.errors == []


def test_two_inline_viewers_in_one_notebook_page_do_not_clash(browser: Any, tmp_path: Path) -> None:
    first, second = neuron(), (Value(2.0, label="x") * Value(3.0, label="y")).tanh()
    fragments = [step_through(first)._repr_html_(), step_through(second)._repr_html_()]
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{fragments[0]}</body>", encoding="utf-8")
    page = Page(browser, path)
    # The second arrives the way JupyterLab shows HTML output: set as innerHTML on a detached element, its
    # scripts re-created (innerHTML alone never runs them), then attached to the page.
    page.page.evaluate(
        """html => {
          const host = document.createElement("div");
          host.innerHTML = html;
          host.querySelectorAll("script").forEach(old => {
            const script = document.createElement("script");
            for (const attribute of old.attributes) script.setAttribute(attribute.name, attribute.value);
            script.textContent = old.textContent;
            old.replaceWith(script);
          });
          document.body.appendChild(host);
        }""",
        fragments[1],
    )
    viewers = page.page.locator(".mgk-steps")
    assert [viewers.nth(k).get_attribute("data-frame") for k in range(2)] == ["0", "0"]
    assert viewers.count() == 2
    viewers.nth(0).locator(".mgk-next").click()
    viewers.nth(0).locator(".mgk-next").click()
    viewers.nth(1).locator(".mgk-slider").focus()
    page.page.keyboard.press("ArrowRight")
    assert [viewers.nth(k).get_attribute("data-frame") for k in range(2)] == ["2", "1"]
    page.page.locator("body").click(position={"x": 1, "y": 1})
    page.page.keyboard.press("ArrowRight")  # inline viewers leave the notebook's own keys alone
    assert [viewers.nth(k).get_attribute("data-frame") for k in range(2)] == ["2", "1"]
    assert page.errors == []
    page.page.close()
