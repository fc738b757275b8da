"""Checks of the exercises of notebook 10b: the scale of Xavier and He initialisation, and batch normalisation.

Oracles: the standard deviation of many weights drawn by `nn.init.init_weights`
(fixed seed), and `nn.BatchNorm1d` in training mode with the same γ and β.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from micrograd_ko import nn
from micrograd_ko.exercises._framework import Mismatch, exercise, expect, first_failure, rounded
from micrograd_ko.nn.init import init_weights

__all__: list[str] = []

SAMPLES = 20_000
"""How many weights the oracle draws to measure a standard deviation (within about 1%)."""


@exercise("10b.1", "Xavier와 He 초기화의 표준편차")
def init_std(mine: Any) -> None:
    """init_std(kind, fan_in, fan_out) against the standard deviation of weights init_weights draws."""
    from hypothesis import strategies as st

    def trial(case_: tuple[str, int, int]) -> None:
        kind, fan_in, fan_out = case_
        measured = float(np.std(init_weights(kind, fan_in, fan_out, SAMPLES, seed=0)))
        got = mine(kind, fan_in, fan_out)
        case = f"init_std({kind!r}, fan_in={fan_in}, fan_out={fan_out})"
        hint = (
            "Xavier는 분산 2/(fan_in + fan_out), He는 ReLU가 절반을 0으로 만드는 것을 메우려고 "
            "분산 2/fan_in입니다(표준편차는 제곱근)."
        )
        expect(case + f" (뽑은 가중치 {SAMPLES}개의 표준편차와 비교)", round(measured, 3), got, hint, 0.05)

    first_failure(
        st.tuples(st.sampled_from(["xavier", "he"]), st.integers(1, 64), st.integers(1, 64)), trial, budget=20
    )


@exercise("10b.2", "배치 정규화의 순전파")
def batch_norm(mine: Any) -> None:
    """batch_norm(batch, gamma, beta, eps) against nn.BatchNorm1d in training mode with the same gamma and beta."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        n, features, seed = case_
        rng = np.random.default_rng(seed)
        batch = rng.integers(-3, 4, (n, features)).astype(float)
        gamma, beta = rng.integers(1, 3, features).astype(float), rng.integers(-1, 2, features).astype(float)
        if np.any(batch.std(axis=0) == 0):
            batch[0] += 1.0  # every feature varies within the batch
        layer = nn.BatchNorm1d(features)
        for j in range(features):
            layer.weight[j].data, layer.bias[j].data = float(gamma[j]), float(beta[j])
        expected = [[v.data for v in sample] for sample in layer(batch.tolist())]
        got = np.asarray(mine(batch.tolist(), gamma.tolist(), beta.tolist(), layer.eps), dtype=float)
        case = f"batch={batch.tolist()}, gamma={gamma.tolist()}, beta={beta.tolist()}"
        hint = (
            "특성(열)마다 배치 안의 평균과 n으로 나눈 분산을 구해 (x − μ)/√(σ² + eps)로 표준화한 뒤 "
            "γ를 곱하고 β를 더하세요."
        )
        if got.shape != (n, features):
            raise Mismatch(case + " 의 결과 모양", (n, features), got.shape, hint)
        expect(case, rounded(np.ravel(expected).tolist()), rounded(got.ravel().tolist()), hint, 1e-3)

    first_failure(st.tuples(st.integers(2, 4), st.integers(1, 3), st.integers(0, 30)), trial, budget=30)
