"""Generative models (notebooks 13 and 14): the mixture data, the GAN losses, and the models reaching measured results.

The training tests rebuild the notebooks' models with the same seeds, so each
threshold below sits between the value measured here and the value of the
failure it guards against (stated beside each threshold).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from micrograd_ko import Value, data, gradcheck, losses, nn, no_grad
from micrograd_ko.optim import Adam

# ---- data.gaussian_mixture -----------------------------------------------------------------------------------------


def test_gaussian_mixture_shapes_components_and_seed() -> None:
    ds = data.gaussian_mixture(50, seed=3)
    assert ds.X.shape == (50, 1) and ds.X.dtype == np.float64
    assert ds.y.shape == (50,) and ds.y.dtype == np.int64 and set(ds.y.tolist()) <= {0, 1}
    assert ds.feature_names == ("x",) and ds.target_name == "component"
    again = data.gaussian_mixture(50, seed=3)
    assert np.array_equal(ds.X, again.X) and np.array_equal(ds.y, again.y)
    assert not np.array_equal(ds.X, data.gaussian_mixture(50, seed=4).X)


def test_gaussian_mixture_draws_each_component_from_its_gaussian() -> None:
    ds = data.gaussian_mixture(40_000, means=(-3.0, 1.0, 5.0), stds=(0.2, 1.0, 0.5), weights=(1, 2, 1), seed=0)
    # Standard errors at this size: shares ~0.0025, means <= 1/sqrt(10000) = 0.01, stds <= 0.007.
    for k, (mean, std, share) in enumerate([(-3.0, 0.2, 0.25), (1.0, 1.0, 0.5), (5.0, 0.5, 0.25)]):
        part = ds.X[ds.y == k, 0]
        assert abs(part.size / 40_000 - share) < 0.015
        assert abs(part.mean() - mean) < 0.05
        assert abs(part.std() - std) < 0.03


def test_gaussian_mixture_generator_seed_continues_its_stream() -> None:
    rng = np.random.default_rng(5)
    first, second = data.gaussian_mixture(10, seed=rng), data.gaussian_mixture(10, seed=rng)
    assert not np.array_equal(first.X, second.X)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"n": 2.5}, TypeError, "n must be an int"),
        ({"means": (0.0,), "stds": (1.0, 1.0)}, ValueError, "equal length"),
        ({"means": (), "stds": ()}, ValueError, "non-empty"),
        ({"stds": (0.5, 0.0)}, ValueError, "stds must be finite and > 0"),
        ({"means": (0.0, math.inf)}, ValueError, "means must be finite"),
        ({"weights": (1.0,)}, ValueError, "weights must be 2 finite numbers"),
        ({"weights": (1.0, -1.0)}, ValueError, "weights must be 2 finite numbers"),
        ({"weights": (0.0, 0.0)}, ValueError, "weights must be not all 0"),
        ({"seed": "x"}, TypeError, "seed must be an int"),
    ],
)
def test_gaussian_mixture_rejects_bad_arguments(kwargs: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        data.gaussian_mixture(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith("gaussian_mixture: ")


# ---- GAN losses ----------------------------------------------------------------------------------------------------


def _sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))


def test_discriminator_loss_is_minus_v_written_with_probabilities() -> None:
    real, fake = [1.5, -0.3, 2.0], [-1.0, 0.4]
    v = np.mean([math.log(_sigmoid(s)) for s in real]) + np.mean([math.log(1 - _sigmoid(s)) for s in fake])
    assert losses.gan_discriminator_loss(real, fake).data == pytest.approx(-v, rel=1e-12)
    assert losses.gan_discriminator_loss([0.0], [0.0]).data == pytest.approx(2 * math.log(2), rel=1e-15)


def test_generator_losses_are_the_two_textbook_forms() -> None:
    fake = [-2.0, 0.5, 3.0]
    minimax = np.mean([math.log(1 - _sigmoid(s)) for s in fake])
    non_saturating = -np.mean([math.log(_sigmoid(s)) for s in fake])
    assert losses.gan_generator_loss(fake, kind="minimax").data == pytest.approx(minimax, rel=1e-12)
    assert losses.gan_generator_loss(fake).data == pytest.approx(non_saturating, rel=1e-12)


@pytest.mark.parametrize("s", [-6.0, -1.0, 0.0, 2.5])
def test_generator_loss_slopes_saturate_only_for_minimax(s: float) -> None:
    # d/ds log(1 - sigmoid(s)) = -sigmoid(s); d/ds -log sigmoid(s) = -(1 - sigmoid(s)).
    for kind, expected in [("minimax", -_sigmoid(s)), ("non_saturating", -(1 - _sigmoid(s)))]:
        x = Value(s)
        losses.gan_generator_loss([x], kind=kind).backward()
        assert x.grad == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_gan_losses_pass_gradcheck() -> None:
    gradcheck(lambda a, b, c: losses.gan_discriminator_loss([a, b], [c]), [0.7, -1.2, 0.3])
    gradcheck(lambda a, b: losses.gan_generator_loss([a, b], kind="minimax"), [0.7, -1.2])
    gradcheck(lambda a, b: losses.gan_generator_loss([a, b]), [0.7, -1.2])


def test_gan_losses_stay_finite_when_the_discriminator_is_certain() -> None:
    real, fake = Value(-1000.0), Value(1000.0)  # D is certain and wrong on both
    loss = losses.gan_discriminator_loss([real], [fake])
    loss.backward()
    assert loss.data == pytest.approx(2000.0) and (real.grad, fake.grad) == (-1.0, 1.0)
    assert losses.gan_generator_loss([-1000.0]).data == pytest.approx(1000.0)
    assert losses.gan_generator_loss([1000.0], kind="minimax").data == pytest.approx(-1000.0)


def test_gan_losses_match_torch_binary_cross_entropy_with_logits() -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed (pip install -e '.[torch]')")
    functional = torch.nn.functional
    real, fake = [0.3, -2.0, 1.1], [0.8, -0.5]
    expected = functional.binary_cross_entropy_with_logits(
        torch.tensor(real, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    ) + functional.binary_cross_entropy_with_logits(
        torch.tensor(fake, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    )
    assert losses.gan_discriminator_loss(real, fake).data == pytest.approx(float(expected), rel=1e-12)
    ns = functional.binary_cross_entropy_with_logits(
        torch.tensor(fake, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    )
    assert losses.gan_generator_loss(fake).data == pytest.approx(float(ns), rel=1e-12)


def test_gan_losses_reject_bad_input() -> None:
    choices = "'non_saturating', 'minimax'"
    with pytest.raises(ValueError, match=f"gan_generator_loss: kind must be one of {choices}, got 'wasserstein'$"):
        losses.gan_generator_loss([0.0], kind="wasserstein")
    with pytest.raises(ValueError, match=r"gan_discriminator_loss: fake_logits must be a non-empty list .*, got \[\]$"):
        losses.gan_discriminator_loss([0.0], [])
    with pytest.raises(TypeError, match=r"gan_generator_loss: fake_logits must be a list .*, got Value\("):
        losses.gan_generator_loss(Value(0.0))  # type: ignore[arg-type]


# ---- notebook 13: the autoencoders ---------------------------------------------------------------------------------

CLASSES = (0, 1, 4, 6)


def _small_digits() -> np.ndarray:
    """Notebook 13's data: 300 digits 0, 1, 4, 6 averaged over 2x2 blocks to 4x4 = 16 pixels."""
    X_all, y_all = data.digits()
    chosen = np.isin(y_all, CLASSES)
    order = np.random.default_rng(0).permutation(int(chosen.sum()))[:300]
    X: np.ndarray = X_all[chosen][order].reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)
    return X


def _mean_squared_reconstruction(model: nn.Sequential, rows: list[list[Value]]) -> Value:
    squares = []
    for z, x in zip(model(rows), rows):
        d = [zi - xi for zi, xi in zip(z, x)]
        squares.append(Value.dot(d, d))
    return Value.sum(squares) / (len(rows) * len(rows[0]))


def test_sigmoid_autoencoder_reconstructs_digits_through_two_codes() -> None:
    pytest.importorskip("sklearn", reason="data.digits() needs scikit-learn (the notebooks extra)")
    X = _small_digits()
    rows = [[Value(v) for v in row] for row in X.tolist()]
    model = nn.Sequential(nn.Linear(16, 2, seed=4), nn.Sigmoid(), nn.Linear(2, 16, seed=5), nn.Sigmoid())
    optimizer = Adam(model.parameters(), lr=0.1)
    rng = np.random.default_rng(6)
    for _ in range(200):
        batch = [rows[i] for i in rng.choice(len(rows), size=24, replace=False)]
        loss = _mean_squared_reconstruction(model, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with no_grad():
        error = _mean_squared_reconstruction(model, rows).data
    centred = X - X.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    mean_image, pca1 = float(np.mean(centred**2)), float(np.sum(singular[1:] ** 2) / X.size)
    # Measured: 0.01412 (PCA with 2 components: 0.01391).  The mean image gives 0.0294, and a run whose second code
    # saturates stays near PCA with 1 component, 0.0200: 0.015 separates the working model from both.
    assert (mean_image, pca1) == (pytest.approx(0.02939, abs=5e-5), pytest.approx(0.01995, abs=5e-5))
    assert error < 0.015


@pytest.mark.slow
def test_linear_autoencoder_finds_the_pca_plane() -> None:
    pytest.importorskip("sklearn", reason="data.digits() needs scikit-learn (the notebooks extra)")
    X = _small_digits()[:100]
    centred = X - X.mean(axis=0)
    _, singular, Vt = np.linalg.svd(centred, full_matrices=False)
    encoder, decoder = nn.Linear(16, 2, bias=False, seed=4), nn.Linear(2, 16, bias=False, seed=5)
    model = nn.Sequential(encoder, decoder)
    rows = [[Value(v) for v in row] for row in centred.tolist()]
    optimizer = Adam(model.parameters(), lr=0.1)
    for step in range(100):
        optimizer.lr = 0.1 * (1 - step / 100)
        loss = _mean_squared_reconstruction(model, rows)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    Q1, _ = np.linalg.qr(np.array([[w.data for w in row] for row in decoder.weight]))
    cosines = np.linalg.svd(Q1.T @ Vt[:2].T, compute_uv=False)
    angles = np.degrees(np.arccos(np.clip(cosines, -1.0, 1.0)))
    # Measured: 0.13 and 0.39 degrees (54 and 89 before training); the error is above PCA's minimum by 5.8e-7.
    assert angles.max() < 1.0
    with no_grad():
        error = _mean_squared_reconstruction(model, rows).data
    assert error - float(np.sum(singular[2:] ** 2) / centred.size) < 1e-5


# ---- notebook 14: the GAN ------------------------------------------------------------------------------------------


def _train_gan(steps: int = 300) -> np.ndarray:
    """Notebook 14's GAN (same seeds and schedule); returns 4000 generated samples."""
    rng = np.random.default_rng(1)
    generator = nn.Sequential(nn.Linear(1, 8, seed=1), nn.Tanh(), nn.Linear(8, 1, seed=101))
    discriminator = nn.Sequential(nn.Linear(1, 8, seed=201), nn.Tanh(), nn.Linear(8, 1, seed=301))
    g_optimizer = Adam(generator.parameters(), lr=0.02, betas=(0.5, 0.999))
    d_optimizer = Adam(discriminator.parameters(), lr=0.02, betas=(0.5, 0.999))
    for step in range(steps):
        g_optimizer.lr = d_optimizer.lr = 0.02 * (1 - 0.9 * step / steps)
        real = data.gaussian_mixture(32, means=(-2.0, 2.0), stds=(0.5, 0.5), seed=rng).X.tolist()
        with no_grad():
            fake = [[x.data] for [x] in generator(rng.standard_normal((32, 1)).tolist())]
        d_loss = losses.gan_discriminator_loss([s for [s] in discriminator(real)], [s for [s] in discriminator(fake)])
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()
        fake_scores = [s for [s] in discriminator(generator(rng.standard_normal((32, 1)).tolist()))]
        g_loss = losses.gan_generator_loss(fake_scores)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
    with no_grad():
        z = np.random.default_rng(7).standard_normal((4000, 1))
        return np.array([x.data for [x] in generator(z.tolist())])


@pytest.mark.slow
def test_gan_samples_match_each_mode_of_the_mixture() -> None:
    samples = _train_gan()
    nearer = np.argmin(np.abs(samples[:, None] - np.array([-2.0, 2.0])), axis=1)
    # Measured on these 4000 samples: shares 49.0% / 51.0%, means -1.97 / +1.82, stds 0.54 / 0.51; the data has
    # 50% / 50%, -2 / +2, 0.5 / 0.5.  Mode collapse would leave one share near 0, and the untrained generator gives
    # stds of 0.02: these bounds fail on both.
    for k, mean in enumerate((-2.0, 2.0)):
        part = samples[nearer == k]
        assert 0.4 < part.size / samples.size < 0.6
        assert abs(part.mean() - mean) < 0.3
        assert 0.35 < part.std() < 0.7
