"""The handwritten digits of scikit-learn and rows of pixels as images."""

from __future__ import annotations

import numpy as np
import pytest

from micrograd_ko import data


def test_digits_are_scikit_learns_8x8_images_scaled_to_one() -> None:
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    ds = data.digits()
    assert ds.X.shape == (1797, 64) and ds.X.dtype == np.float64
    assert ds.X.min() == 0.0 and ds.X.max() == 1.0
    assert ds.y.dtype == np.int64 and sorted(set(ds.y.tolist())) == list(range(10))
    assert ds.feature_names[9] == "pixel_1_1" and ds.target_name == "digit"
    images = data.as_images(ds.X[:2])
    assert np.array(images).shape == (2, *data.DIGIT_SHAPE)
    assert images[1][0][3][5] == ds.X[1, 3 * 8 + 5]


def test_digits_without_scikit_learn_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes `import sklearn.datasets` fail
    with pytest.raises(ImportError, match=r'pip install "micrograd_ko\[notebooks\]"'):
        data.digits()


def test_as_images_checks_the_shape() -> None:
    with pytest.raises(
        ValueError,
        match=r"^as_images: X must be rows of 64 values to form images of shape \(1, 8, 8\), got rows of 10 values$",
    ):
        data.as_images(np.zeros((2, 10)))
    assert np.array(data.as_images(np.arange(12.0).reshape(1, 12), shape=(3, 2, 2))).shape == (1, 3, 2, 2)


@pytest.mark.parametrize("shape", [8, None, "188", (1, 8.0, 8)])
def test_as_images_names_a_shape_that_is_not_three_ints_as_a_type_error(shape: object) -> None:
    with pytest.raises(TypeError) as caught:
        data.as_images(np.zeros((1, 64)), shape=shape)  # type: ignore[arg-type]
    assert str(caught.value) == f"as_images: shape must be (channels, height, width) of positive ints, got {shape!r}"
