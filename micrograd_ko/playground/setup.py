"""The playground's whole setup as one value, checked, and as one short text a class can copy and paste.

`Setup` holds every setting a learner can change: the data (which dataset,
how many points, the noise, the points they added), the network (hidden
layer sizes, activation), the training (optimizer, learning rate, L2,
batch size) and the seed.  `Setup.to_text()` packs it into one line such as
``mgk1.eJy...`` (the version, then base64 of compressed JSON) and
`Setup.from_text` reads it back, refusing a corrupt text or one written by
another version with a ValueError that says which.  Teachers' presets add the
controls they hide (`hidden`).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from micrograd_ko.autograd.checks import finite_number, integer, one_of, positive_integer

__all__ = [
    "ACTIVATIONS",
    "CONTROLS",
    "DATASETS",
    "EXTENT",
    "MAX_LAYERS",
    "MAX_NEURONS",
    "OPTIMIZERS",
    "TEXT_VERSION",
    "Setup",
]

DATASETS = ("moons", "circles", "xor", "spiral", "gaussians", "custom")
"""The datasets by name; 'custom' is the user's own arrays (kept in the setup as added points)."""
OPTIMIZERS = ("sgd", "momentum", "adam")
"""SGD, SGD with momentum 0.9, Adam (micrograd_ko.optim)."""
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
"""The hidden layers' activations the page can also compute."""
CONTROLS = (
    "play", "step", "reset", "lr", "optimizer", "activation", "layers", "l2", "batch_size", "dataset", "noise",
    "add_point", "setup_text",
)  # fmt: skip
"""The controls a preset may hide (by these names)."""
EXTENT = 1.5
"""The plot shows the square [-EXTENT, EXTENT]²; every point lies inside it."""
MAX_LAYERS = 6
MAX_NEURONS = 8
TEXT_VERSION = "mgk1"
"""The first field of a setup text; a text of another version is refused."""


@dataclass(frozen=True)
class Setup:
    """Every setting of one playground run; equal setups give the same run, bit for bit.

    `points` are the points the learner added, as (x1, x2, label) with label
    +1 or -1; with dataset 'custom' they are the whole data.  `test_fraction`
    of the generated points are held out as the test set.  `hidden` names the
    controls a teacher's preset hides (see `CONTROLS`).  Build one with
    keyword arguments; every field is checked (`Setup.checked`).
    """

    dataset: str = "moons"
    n: int = 200
    noise: float = 0.1
    test_fraction: float = 0.5
    layers: tuple[int, ...] = (4, 4)
    activation: str = "tanh"
    optimizer: str = "sgd"
    lr: float = 0.3
    l2: float = 0.0
    batch_size: int = 10
    seed: int = 0
    points: tuple[tuple[float, float, int], ...] = ()
    hidden: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        checked = _check_fields(self)
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def changed(self, **changes: Any) -> Setup:
        """A copy with `changes` applied and checked; this setup is left as it was."""
        unknown = sorted(set(changes) - set(_FIELDS))
        if unknown:
            raise TypeError(f"Setup.changed: setting must be one of {', '.join(_FIELDS)}, got {unknown[0]!r}")
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The setup as plain JSON-able data (lists for tuples)."""
        data = asdict(self)
        data["layers"] = list(self.layers)
        data["points"] = [list(p) for p in self.points]
        data["hidden"] = list(self.hidden)
        return data

    def to_text(self) -> str:
        """The setup as one line: 'mgk1.' then URL-safe base64 of compressed JSON (no padding)."""
        raw = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True).encode("utf-8")
        packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
        return f"{TEXT_VERSION}.{packed}"

    @classmethod
    def from_arrays(cls, X: object, y: object, **settings: Any) -> Setup:
        """A 'custom' setup whose data is your own arrays: `X` of shape (n, 2) inside the plot, labels `y`.

        Labels may be 0/1 or -1/+1 (0 becomes -1).  The points train; `settings` are the other fields.
        """
        import numpy as np

        rows = np.asarray(X, dtype=np.float64)
        labels = np.asarray(y)
        if rows.ndim != 2 or rows.shape[1] != 2:
            raise ValueError(f"Setup.from_arrays: X must be an array of shape (n, 2), got shape {rows.shape}")
        if labels.shape != (len(rows),):
            rule = f"hold one label per row of X ({len(rows)})"
            raise ValueError(f"Setup.from_arrays: y must {rule}, got shape {labels.shape}")
        found = sorted(set(labels.tolist()))
        if not set(found) <= {0, 1, -1}:
            raise ValueError(f"Setup.from_arrays: y must hold labels 0/1 or -1/+1, got {found!r}")
        points = tuple((float(a), float(b), 1 if v == 1 else -1) for (a, b), v in zip(rows.tolist(), labels.tolist()))
        return cls(**{**settings, "dataset": "custom", "points": points})

    @classmethod
    def from_text(cls, text: object) -> Setup:
        """Read a `to_text()` line back.

        ValueError when the text is from another version (its first field is
        not 'mgk1') or corrupt (not base64, not compressed JSON, a setting
        unknown or out of range); TypeError when it is not a str.
        """
        what = "Setup.from_text: text"
        if not isinstance(text, str):
            raise TypeError(f"{what} must be a setup text (a str starting with '{TEXT_VERSION}.'), got {text!r}")
        stripped = text.strip().lstrip("#")
        version, dot, packed = stripped.partition(".")
        if not dot or version != TEXT_VERSION:
            shown = version if dot else stripped[:20]
            raise ValueError(f"{what} must be a setup text of version '{TEXT_VERSION}', got version {shown!r}")
        try:
            raw = zlib.decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
            raise ValueError(f"{what} must be an uncorrupted setup text, got {_short(text)!r}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> Setup:
        """A setup from `to_dict()` data; every key must be a setting, and every setting is checked."""
        if not isinstance(data, dict):
            raise ValueError(f"Setup.from_dict: data must be a dict of settings, got {_short(data)!r}")
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            rule = f"hold only settings ({', '.join(_FIELDS)})"
            raise ValueError(f"Setup.from_dict: data must {rule}, got {unknown[0]!r}")
        values = dict(data)
        for name in ("layers", "points", "hidden"):
            if name in values and isinstance(values[name], list):
                values[name] = tuple(tuple(v) if isinstance(v, list) else v for v in values[name])
        try:
            return cls(**values)
        except TypeError as error:
            raise ValueError(str(error)) from None


_FIELDS = tuple(Setup.__dataclass_fields__)


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def _check_fields(setup: Setup) -> dict[str, Any]:
    """Every field of `setup` checked and normalised (floats as float, tuples as tuples)."""
    out: dict[str, Any] = {
        "dataset": one_of(setup.dataset, DATASETS, "Setup: dataset"),
        "n": integer(setup.n, "Setup: n", minimum=4),
        "activation": one_of(setup.activation, ACTIVATIONS, "Setup: activation"),
        "optimizer": one_of(setup.optimizer, OPTIMIZERS, "Setup: optimizer"),
        "batch_size": positive_integer(setup.batch_size, "Setup: batch_size"),
        "seed": integer(setup.seed, "Setup: seed", minimum=0),
    }
    if out["n"] > 2000:
        raise ValueError(f"Setup: n must be <= 2000, got {out['n']!r}")
    noise = finite_number(setup.noise, "Setup: noise")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"Setup: noise must be in [0, 1], got {setup.noise!r}")
    fraction = finite_number(setup.test_fraction, "Setup: test_fraction")
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"Setup: test_fraction must be in [0, 1), got {setup.test_fraction!r}")
    lr = finite_number(setup.lr, "Setup: lr")
    if lr <= 0.0:
        raise ValueError(f"Setup: lr must be > 0, got {setup.lr!r}")
    l2 = finite_number(setup.l2, "Setup: l2")
    if l2 < 0.0:
        raise ValueError(f"Setup: l2 must be >= 0, got {setup.l2!r}")
    out.update(noise=noise, test_fraction=fraction, lr=lr, l2=l2)
    out["layers"] = _layers(setup.layers)
    out["points"] = tuple(_point(p, f"Setup: points[{i}]") for i, p in enumerate(_sequence(setup.points, "points")))
    if out["dataset"] == "custom" and len(out["points"]) < 2:
        raise ValueError(f"Setup: points must hold at least 2 points for dataset 'custom', got {len(out['points'])}")
    hidden = _sequence(setup.hidden, "hidden")
    out["hidden"] = tuple(one_of(h, CONTROLS, f"Setup: hidden[{i}]") for i, h in enumerate(hidden))
    return out


def _sequence(value: object, name: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list):
        raise TypeError(f"Setup: {name} must be a list, got {value!r}")
    return tuple(value)


def _layers(value: object) -> tuple[int, ...]:
    """Hidden layer sizes: 0 to MAX_LAYERS layers of 1 to MAX_NEURONS neurons each."""
    sizes = _sequence(value, "layers")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"Setup: layers must hold at most {MAX_LAYERS} hidden layers, got {list(sizes)!r}")
    checked = tuple(positive_integer(s, f"Setup: layers[{i}]") for i, s in enumerate(sizes))
    for i, s in enumerate(checked):
        if s > MAX_NEURONS:
            raise ValueError(f"Setup: layers[{i}] must be <= {MAX_NEURONS} neurons, got {s!r}")
    return checked


def check_point(x1: object, x2: object, label: object, what: str) -> tuple[float, float, int]:
    """(x1, x2, label) checked: both coordinates inside the plot [-EXTENT, EXTENT], the label +1 or -1."""
    a = finite_number(x1, f"{what}: x1")
    b = finite_number(x2, f"{what}: x2")
    for name, v, raw in (("x1", a, x1), ("x2", b, x2)):
        if not -EXTENT <= v <= EXTENT:
            raise ValueError(f"{what}: {name} must be inside the plot [-{EXTENT}, {EXTENT}], got {raw!r}")
    if isinstance(label, bool) or label not in (1, -1):
        raise ValueError(f"{what}: label must be 1 or -1, got {label!r}")
    return (a, b, int(label))


def _point(value: object, what: str) -> tuple[float, float, int]:
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list) or len(value) != 3:
        raise TypeError(f"{what} must be a point (x1, x2, label), got {value!r}")
    return check_point(value[0], value[1], value[2], what)


