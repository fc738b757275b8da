"""The playground's training state machine: play, step, reset, add a point, change the network mid-run.

Every refused action raises a clear error and leaves the session exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from micrograd_ko.playground import PRESETS, Session, Setup, page_html, save_page
from micrograd_ko.playground.setup import DATASETS


def snapshot(session: Session) -> tuple[object, ...]:
    """Everything an action may change: the setup, the step, the weights, the gradient, losses, the points."""
    frame = session.frame
    return (session.setup, frame, len(session.recording), len(session.points), session.playing)


@pytest.fixture
def session() -> Session:
    return Session(Setup(n=60))


def test_starts_at_step_zero_with_the_default_network() -> None:
    s = Session()
    assert s.steps == 0 and s.sizes() == [2, 4, 4, 1] and len(s.points) == 200
    assert len(s.frame.weights) == len(s.model.parameters()) == 4 * 3 + 4 * 5 + 5
    assert s.points.train.sum() == 100
    assert s.maps().shape == (9, s.grid * s.grid)


def test_step_trains_and_the_loss_falls(session: Session) -> None:
    first = session.frame.train_loss
    session.step(50)
    assert session.steps == 50 and len(session.recording) == 51
    assert session.frame.train_loss < first
    assert [f.step for f in session.recording.frames] == list(range(51))


def test_play_and_pause_only_set_the_flag(session: Session) -> None:
    before = session.frame
    session.play()
    assert session.playing and session.frame == before
    session.pause()
    assert not session.playing


def test_reset_reproduces_the_same_losses_bit_for_bit() -> None:
    for optimizer in ("sgd", "momentum", "adam"):
        s = Session(Setup(optimizer=optimizer, lr=0.05, batch_size=7, l2=0.001))
        s.step(40)
        first = [(f.train_loss, f.test_loss, f.weights, f.grads) for f in s.recording.frames]
        s.reset()
        assert s.steps == 0
        s.step(40)
        again = [(f.train_loss, f.test_loss, f.weights, f.grads) for f in s.recording.frames]
        assert again == first  # exact equality: the rewind keeps the same initial weights and batches
        assert Session(Setup(optimizer=optimizer, lr=0.05, batch_size=7, l2=0.001)).step(40) == s.frame


def test_adding_a_point_grows_the_training_data_and_keeps_training(session: Session) -> None:
    session.step(5)
    weights = session.frame.weights
    assert session.add_point(0.5, -0.25, -1) == 61
    assert session.steps == 5 and session.frame.weights == weights
    assert session.points.train[-1] and list(session.points.X[-1]) == [0.5, -0.25] and session.points.y[-1] == -1
    assert session.setup.points == ((0.5, -0.25, -1),)
    session.step()
    assert session.steps == 6


def test_changing_the_architecture_mid_run_starts_again(session: Session) -> None:
    session.step(10)
    session.configure(layers=(3, 2, 5))
    assert session.steps == 0 and session.sizes() == [2, 3, 2, 5, 1]
    assert len(session.frame.weights) == 3 * 3 + 2 * 4 + 5 * 3 + 6
    session.step(3)
    assert session.maps().shape == (11, session.grid**2)
    session.configure(layers=())  # no hidden layer: logistic regression
    assert session.sizes() == [2, 1]


def test_lr_optimizer_and_l2_apply_from_the_next_step(session: Session) -> None:
    session.step(10)
    session.configure(lr=0.01, optimizer="adam", l2=0.01, batch_size=3)
    assert session.steps == 10 and session.setup.lr == 0.01
    session.step()
    assert session.steps == 11 and session.recording.frames[-1].lr == 0.01


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (lambda s: s.configure(layers=(4, 0)), ValueError, "Setup: layers[1] must be a positive integer, got 0"),
        (lambda s: s.configure(lr=-0.1), ValueError, "Setup: lr must be > 0, got -0.1"),
        (lambda s: s.configure(dataset="iris"), ValueError, "Setup: dataset must be one of 'moons'"),
        (lambda s: s.configure(l2=-1.0), ValueError, "Setup: l2 must be >= 0, got -1.0"),
        (lambda s: s.configure(depth=3), TypeError, "Setup.changed: setting must be one of"),
        (lambda s: s.add_point(2.0, 0.0), ValueError, "Session.add_point: x1 must be inside the plot [-1.5, 1.5]"),
        (lambda s: s.add_point(0.0, float("nan")), ValueError, "Session.add_point: x2 must be a finite number"),
        (lambda s: s.add_point(0.0, 0.0, 0), ValueError, "Session.add_point: label must be 1 or -1, got 0"),
        (lambda s: s.step(0), ValueError, "Session.step: count must be a positive integer, got 0"),
        (lambda s: s.load("mgk1.not-base64!"), ValueError, "Setup.from_text: text must be an uncorrupted setup text"),
        (lambda s: s.load("mgk9.eJwrSS0u"), ValueError, "must be a setup text of version 'mgk1', got version 'mgk9'"),
        (lambda s: s.load(42), TypeError, "Setup.from_text: text must be a setup text"),
        (lambda s: s.sample_graph(10_000, 1, 0), ValueError, "Session.sample_graph: index must be in [0, 59]"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    session: Session, action: Callable[[Session], object], error: type[Exception], message: str
) -> None:
    session.step(3)
    before = snapshot(session)
    with pytest.raises(error, match=re.escape(message)):
        action(session)
    assert snapshot(session) == before


def test_a_setup_text_from_a_valid_json_of_bad_settings_is_refused() -> None:
    import base64
    import zlib

    packed = base64.urlsafe_b64encode(zlib.compress(json.dumps({"layers": [0]}).encode())).decode().rstrip("=")
    with pytest.raises(ValueError, match=re.escape("Setup: layers[0] must be a positive integer, got 0")):
        Setup.from_text(f"mgk1.{packed}")
    packed = base64.urlsafe_b64encode(zlib.compress(b'{"colour": 1}')).decode()
    with pytest.raises(ValueError, match="must hold only settings"):
        Setup.from_text(f"mgk1.{packed}")


def test_the_setup_text_round_trips_and_loading_it_gives_the_same_run() -> None:
    setup = Setup(dataset="spiral", layers=(6, 3), activation="relu", optimizer="momentum", lr=0.03, seed=7,
                  points=((0.1, 0.2, 1),), hidden=("dataset",))  # fmt: skip
    text = setup.to_text()
    assert text.startswith("mgk1.") and len(text) < 300
    assert Setup.from_text(text) == setup and Setup.from_text("#" + text) == setup
    a, b = Session(setup), Session()
    b.load(text)
    assert a.step(5) == b.step(5)


@pytest.mark.parametrize("dataset", [d for d in DATASETS if d != "custom"])
def test_every_dataset_fits_in_the_plot(dataset: str) -> None:
    s = Session(Setup(dataset=dataset, n=50))
    assert len(s.points) == 50 and abs(s.points.X).max() <= 1.5
    assert set(s.points.y.tolist()) == {-1.0, 1.0}
    s.step(2)


def test_custom_data_is_the_users_points() -> None:
    s = Session(Setup(dataset="custom", points=((0.0, 0.0, 1), (1.0, 1.0, -1))))
    assert len(s.points) == 2 and s.points.test_rows.shape == (0, 3) and s.frame.test_loss is None
    with pytest.raises(ValueError, match="at least 2 points"):
        Setup(dataset="custom", points=((0.0, 0.0, 1),))


def test_your_own_arrays_become_the_data() -> None:
    X, y = [[0.0, 0.5], [1.0, -1.0], [-0.5, 0.25]], [1, 0, 1]
    s = Session(Setup.from_arrays(X, y, layers=(3,)))
    assert s.points.X.tolist() == X and s.points.y.tolist() == [1.0, -1.0, 1.0] and s.sizes() == [2, 3, 1]
    outside = "Setup: points[1]: x1 must be inside the plot [-1.5, 1.5], got 4.0"
    with pytest.raises(ValueError, match=re.escape(outside)):
        Setup.from_arrays([[0.0, 0.0], [4.0, 0.0]], [0, 1])
    with pytest.raises(ValueError, match=re.escape("y must hold labels 0/1 or -1/+1, got [0, 1, 2]")):
        Setup.from_arrays(X, [1, 2, 0])


def test_presets_hide_controls_and_start() -> None:
    for name, setup in PRESETS.items():
        assert setup.hidden, name
        Session(setup).step(2)


def test_sample_graph_goes_through_the_chosen_neuron_and_leaves_the_run_alone(session: Session) -> None:
    session.step(2)
    before = snapshot(session)
    grads = [p.grad for p in session.model.parameters()]
    node, loss = session.sample_graph(3, 1, 2)
    assert node.label == "h1.3" and loss.label == "loss"
    assert node in loss.topological_order()
    assert node.grad != 0.0  # the loss's gradient reached the neuron and the parameters' copies
    leaves = [v for v in loss.topological_order() if v.role == "parameter"]
    assert len(leaves) == len(session.model.parameters()) and all(v.grad != 0.0 for v in leaves)
    assert {v.label: v.data for v in leaves} == {p.label: p.data for p in session.model.parameters()}
    assert [p.grad for p in session.model.parameters()] == grads
    assert snapshot(session) == before
    node, _ = session.sample_graph(0, 3, 0)
    assert node.label == "score"


def test_the_saved_page_holds_what_the_run_recorded(tmp_path: Path) -> None:
    s = Session()
    s.step(300)
    path = save_page(s, tmp_path / "run.html")
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 2_000_000
    found = re.search(r'<script type="application/json" id="mgk-playground-data">(.*?)</script>', text, re.S)
    assert found is not None
    data = json.loads(found[1])
    assert len(data["frames"]) == 301
    assert [f[3] for f in data["frames"]] == s.recording.losses()
    assert data["frames"][-1][1] == list(s.frame.weights) and data["frames"][-1][2] == list(s.frame.grads)
    assert data["sizes"] == [2, 4, 4, 1] and data["setup_text"] == s.setup.to_text()
    assert len(data["points"]) == 200
    # nothing fetched: no address but the SVG namespace, no import, no fetch, no external script
    assert re.findall(r"https?://[^\s\"']*", text) == ["http://www.w3.org/2000/svg"]
    assert not re.search(r"^\s*import\b|\bfetch\(|<script src", text, re.M)
    assert page_html(s) == text
    thinned = save_page(s, tmp_path / "thin.html", every=7).read_text(encoding="utf-8")
    assert thinned.count('[0,[') == 1 and '[300,[' in thinned and '[7,[' in thinned and len(thinned) < len(text) / 4
    with pytest.raises(ValueError, match=re.escape("save_page: every must be a positive integer, got 0")):
        save_page(s, tmp_path / "never.html", every=0)
    assert not (tmp_path / "never.html").exists()


def test_importing_the_widget_without_anywidget_names_the_extra() -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['anywidget'] = None; from micrograd_ko.playground import Playground"
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert finished.returncode == 1
    last = finished.stderr.strip().splitlines()[-1]
    assert last == (
        'ImportError: micrograd_ko.playground.Playground needs anywidget: pip install "micrograd_ko[playground]"'
    )


def test_a_diverging_run_stops_and_still_saves(tmp_path: Path) -> None:
    s = Session(Setup(activation="linear", layers=(8, 8, 8, 8, 8, 8), lr=10.0, batch_size=1))
    s.step(50)
    assert s.diverged and s.steps < 50
    stopped = s.steps
    assert s.step(5).step == stopped  # a diverged run takes no more steps
    text = save_page(s, tmp_path / "diverged.html").read_text(encoding="utf-8")
    assert "NaN" not in text.split('id="mgk-playground-data">')[1].split("</script>")[0]
    s.reset()
    assert not s.diverged and s.steps == 0
