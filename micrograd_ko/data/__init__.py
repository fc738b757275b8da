"""Toy datasets made with numpy, and the small tools a training loop needs around them.

Every dataset is generated from a seed, so the same call gives the same numbers
on every machine, and returns a `Dataset`: ``X`` of shape ``(n, d)`` (float64,
one row per sample, one column per feature), ``y`` of shape ``(n,)``, and the
names of the features and the target.  A `Dataset` unpacks like a pair::

    X, y = moons()              # the fixed two-moons data the demo trains on
    ds = house_prices()         # or keep it whole to read ds.feature_names

One family per file:

- ``dataset.py``: `Dataset`, the record every maker returns, and `Seed`;
- ``toy.py``: classification in the plane, `xor`, `moons`, `circles`, `spiral`;
- ``regression.py``: `house_prices` and the `true_house_price` it samples around;
- ``images.py``: scikit-learn's handwritten `digits`, and `as_images` for `nn.Conv2d`;
- ``mixtures.py``: `gaussian_mixture`, the 1-D data a GAN learns to imitate;
- ``scaling.py``: `standardize` and `normalize`, with the statistics they fitted;
- ``splits.py``: `train_test_split` and `batches`;
- ``_common.py`` (private): the checks of noise, fractions and feature arrays that several files share.

Label conventions:

- binary datasets (`xor`, `moons`, `circles`) give int64 labels 0/1 by default;
  ``labels="pm1"`` gives -1/+1 instead, the form the hinge loss
  ``max(0, 1 - y * score)`` expects (0 becomes -1, 1 stays +1);
- `spiral` gives int64 class indices 0, 1, ..., classes - 1;
- `house_prices` is regression: float64 prices in units of 100 million won (억 원);
- `digits` (scikit-learn's 8 x 8 handwritten digits) gives int64 digits 0..9.

Test sets that can show overfitting: `moons`, `circles` and `spiral` place
their points on an even grid by default, so two calls with different seeds
differ only by noise.  Draw training and test sets with
``sampling="random"`` and different seeds (independent samples), or draw one
set and split it with `train_test_split`.

Around the data: `standardize` and `normalize` rescale features and return the
statistics they fitted, so test data is rescaled with the training statistics;
`train_test_split` holds out a test set; `batches` cuts an epoch into batches
for full-batch, stochastic and mini-batch gradient descent.

A bad argument is refused in one shape everywhere:
``"{function}: {argument} must be {rule}, got {value!r}"``.
"""

from micrograd_ko.data.dataset import Dataset, Seed
from micrograd_ko.data.images import DIGIT_SHAPE, as_images, digits
from micrograd_ko.data.mixtures import gaussian_mixture
from micrograd_ko.data.regression import HOUSE_FEATURES, house_prices, true_house_price
from micrograd_ko.data.scaling import MinMaxScaling, Standardization, normalize, standardize
from micrograd_ko.data.splits import batches, train_test_split
from micrograd_ko.data.toy import (
    LABEL_CHOICES,
    SAMPLING_CHOICES,
    SPIRAL_SWEEP,
    Labels,
    Sampling,
    circles,
    moons,
    spiral,
    xor,
)

__all__ = [
    "DIGIT_SHAPE",
    "HOUSE_FEATURES",
    "LABEL_CHOICES",
    "SAMPLING_CHOICES",
    "SPIRAL_SWEEP",
    "Dataset",
    "Labels",
    "MinMaxScaling",
    "Sampling",
    "Seed",
    "Standardization",
    "as_images",
    "batches",
    "circles",
    "digits",
    "gaussian_mixture",
    "house_prices",
    "moons",
    "normalize",
    "spiral",
    "standardize",
    "train_test_split",
    "true_house_price",
    "xor",
]
