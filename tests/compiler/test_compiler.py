"""Compiled mode: a traced program run over a batch gives eager mode's numbers, sample by sample."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_ko import data, losses, nn, ops
from micrograd_ko.autograd import Value
from micrograd_ko.autograd.custom import custom_op
from micrograd_ko.compiler import CompileError, ConvGroup, MatmulGroup, Program, TraceCheckError, draw_plan, trace
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD
from micrograd_ko.testing import Expression, expressions

RTOL = 1e-12


def assert_close(compiled: object, eager: object, scale: float = 1.0) -> None:
    """Equal to 1e-12 relative; values near 0 that come out of a cancellation are compared against `scale`."""
    np.testing.assert_allclose(compiled, eager, rtol=RTOL, atol=RTOL * scale)


def eager_reference(
    fn: object, batch: np.ndarray, params: Sequence[Value]
) -> tuple[list[list[float]], list[float], float]:
    """Each sample run eagerly: its outputs, the parameters' gradients summed over samples, and a size scale."""
    for p in params:
        p.grad = 0.0
    outputs, scale = [], 1.0
    for sample in batch:
        result = fn([Value(x) for x in sample.tolist()])  # type: ignore[operator]
        values = [result] if isinstance(result, Value) else list(result)
        outputs.append([v.data for v in values])
        root = values[0] if len(values) == 1 else Value.sum(values)
        root.backward()
        # the largest intermediate value bounds the rounding error of a cancellation
        scale = max(scale, *(abs(n.data) for n in root.topological_order() if math.isfinite(n.data)))
    return outputs, [p.grad for p in params], scale


def compiled_run(program: Program, batch: np.ndarray, params: Sequence[Value]) -> tuple[np.ndarray, list[float]]:
    for p in params:
        p.grad = 0.0
    outputs = program(batch)
    program.backward(reduction="sum")
    return outputs, [p.grad for p in params]


def split_expression(expr: Expression, n_sample: int) -> tuple[list[Value], object]:
    """The expression's last inputs become parameters, the first `n_sample` vary per sample."""
    params = [Value(x, role="parameter") for x in expr.inputs[n_sample:]]

    def fn(sample: list[Value]) -> Value:
        return expr(*sample, *params)

    return params, fn


def nearby_batch(point: Sequence[float], samples: int, seed: int) -> np.ndarray:
    """The drawn point and small moves around it (the strategy keeps a margin from every edge and kink)."""
    rng = np.random.default_rng(seed)
    moves = rng.uniform(-1e-3, 1e-3, (samples - 1, len(point)))
    return np.asarray(point) + np.concatenate([np.zeros((1, len(point))), moves])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(max_inputs=4, max_steps=10), st.integers(0, 3), st.integers(0, 2**16))
def test_random_graphs_compiled_equal_eager_values_and_parameter_gradients(
    expr: Expression, n_sample: int, seed: int
) -> None:
    n_sample = min(n_sample, expr.n_inputs)
    params, fn = split_expression(expr, n_sample)
    batch = nearby_batch(expr.inputs[:n_sample], 5, seed)
    try:
        eager_outputs, eager_grads, scale = eager_reference(fn, batch, params)
    except (ArithmeticError, ValueError):
        return  # a moved sample left a domain, which eager mode refuses: nothing to compare
    program = trace(fn, batch[0].tolist(), params)
    outputs, grads = compiled_run(program, batch, params)
    assert_close(outputs, np.asarray(eager_outputs)[:, 0], scale)
    assert_close(grads, eager_grads, scale * len(batch))


@custom_op("compiled_softsign", local_grads=lambda m, out, x: 1.0 / (1.0 + abs(x)) ** 2)
def softsign(x: float) -> float:
    """x / (1 + |x|): its array form is np.vectorize of this, the default."""
    return x / (1.0 + abs(x))


@custom_op(
    "smooth_gate",
    local_grads=lambda m, out, a, b: (m.sigmoid(b), a * m.sigmoid(b) * (1.0 - m.sigmoid(b))),
    array_forward=lambda a, b: a / (1.0 + np.exp(-b)),
)
def smooth_gate(a: float, b: float) -> float:
    """a * sigmoid(b), with a numpy array form given."""
    return a / (1.0 + math.exp(-b))


def test_custom_ops_and_shared_nodes_compile() -> None:
    w = [Value(v, role="parameter") for v in (0.3, -0.7, 1.1, 0.2)]

    def fn(s: list[Value]) -> list[Value]:
        h = Value.dot(w[:2], s, w[2])  # shared: used by three nodes below
        g = smooth_gate(h, softsign(h * w[3]))
        return [g * h, (g + s[0]).tanh(), Value.max([h, g, s[1]])]

    batch = np.random.default_rng(0).uniform(-2.0, 2.0, (7, 2))
    program = trace(fn, batch[0].tolist(), w)
    eager_outputs, eager_grads, scale = eager_reference(fn, batch, w)
    outputs, grads = compiled_run(program, batch, w)
    assert outputs.shape == (7, 3)
    assert_close(outputs, eager_outputs, scale)
    assert_close(grads, eager_grads, scale * len(batch))


def test_mean_reduction_is_the_sum_over_samples_divided_by_their_number() -> None:
    w = Value(0.5, role="parameter")
    program = trace(lambda s: (s[0] * w).tanh(), [1.0], [w])
    batch = np.array([[1.0], [-2.0], [0.5], [3.0]])
    program(batch)
    program.backward(reduction="sum")
    total = w.grad
    w.grad = 0.0
    program.backward(reduction="mean")
    assert w.grad == pytest.approx(total / 4, rel=1e-15)


def moons_models() -> tuple[MLP, MLP]:
    return MLP(2, [16, 16, 1], activation="relu", seed=1), MLP(2, [16, 16, 1], activation="relu", seed=1)


def test_moons_training_compiled_equals_eager_loss_at_every_step() -> None:
    X, y = data.moons(n=100, noise=0.1, seed=1, labels="pm1")
    eager_model, compiled_model = moons_models()
    eager_opt = SGD(eager_model.parameters(), lr=0.2, momentum=0.9)
    params = compiled_model.parameters()
    compiled_opt = SGD(params, lr=0.2, momentum=0.9)
    batch = np.column_stack([X, y])

    def per_sample(s: list[Value]) -> Value:
        return (1.0 - s[2] * compiled_model(s[:2])).relu()  # type: ignore[operator]

    program = trace(per_sample, batch[0].tolist(), params, penalty=lambda: 1e-4 * losses.l2(params))
    assert sum(isinstance(g, MatmulGroup) for g in program.plan) == 3  # one matrix product per layer
    for k in range(100):  # the whole W1 run: 100 steps of the demo's schedule
        lr = 0.2 * (1.0 - 0.9 * k / 100)
        scores = [eager_model(row) for row in X.tolist()]
        eager_loss = losses.hinge(scores, y.tolist()) + 1e-4 * losses.l2(eager_model.parameters())
        eager_opt.zero_grad()
        eager_loss.backward()
        eager_opt.lr = lr
        eager_opt.step()

        compiled_opt.zero_grad()
        compiled_loss = program.loss(batch)
        program.backward()
        compiled_opt.lr = lr
        compiled_opt.step()
        assert compiled_loss == pytest.approx(eager_loss.data, rel=RTOL, abs=0.0)
    assert_close([p.data for p in params], [p.data for p in eager_model.parameters()])


def test_parameters_changed_between_calls_are_seen() -> None:
    w = Value(2.0, role="parameter")
    program = trace(lambda s: s[0] * w + w * w, [1.0], [w])
    batch = np.array([[1.0], [3.0]])
    np.testing.assert_array_equal(program(batch), [6.0, 10.0])
    w.data = -1.0
    np.testing.assert_array_equal(program(batch), [0.0, -2.0])
    program.backward(reduction="sum")
    assert w.grad == (1.0 + 2 * -1.0) + (3.0 + 2 * -1.0)


def test_check_catches_a_data_dependent_branch() -> None:
    w = Value(1.5, role="parameter")

    def branchy(s: list[Value]) -> Value:
        return s[0] * w if s[0].data > 0 else s[0] * w * w  # Python control flow: invisible to the trace

    quiet = trace(branchy, [1.0], [w])
    checked = trace(branchy, [1.0], [w], check=True)
    batch = np.array([[2.0], [-1.0], [3.0]])
    assert quiet(batch)[1] == -1.5  # the example's branch, silently
    with pytest.raises(TraceCheckError, match="sample 1"):
        checked(batch)
    np.testing.assert_array_equal(checked(np.array([[2.0], [4.0]])), [3.0, 6.0])  # the traced branch fits


def test_an_op_that_does_not_vectorize_is_rejected_with_its_name() -> None:
    @custom_op("scalar_only", local_grads=lambda m, out, x: math.exp(x))
    def scalar_only(x: float) -> float:
        """e^x, with a derivative written for floats only."""
        return math.exp(x)

    w = Value(0.1, role="parameter")
    try:
        with pytest.raises(CompileError, match="op 'scalar_only'"):
            trace(lambda s: scalar_only(s[0] * w), [0.5], [w])
    finally:
        ops.unregister("scalar_only")


def test_a_wrong_array_formula_is_rejected_with_its_name() -> None:
    @custom_op("mismatched", local_grads=lambda m, out, x: 2.0 * x, array_forward=lambda x: x**3)
    def mismatched(x: float) -> float:
        """x^2 on floats, but x^3 on arrays: the trace catches it."""
        return x * x

    try:
        with pytest.raises(CompileError, match=r"op 'mismatched'.*array_forward"):
            trace(lambda s: mismatched(s[0]), [0.5], [])
    finally:
        ops.unregister("mismatched")


def test_a_parameter_missing_from_params_is_rejected() -> None:
    w = Value(0.1, label="w", role="parameter")
    with pytest.raises(CompileError, match="label 'w'"):
        trace(lambda s: s[0] * w, [1.0], [])


def test_images_keep_their_nesting_and_batch_shape_is_checked() -> None:
    k = Value(0.5, role="parameter")

    def fn(image: list[list[list[Value]]]) -> Value:
        return Value.sum(v * k for v in image[0][1])

    program = trace(fn, [[[1.0, 2.0], [3.0, 4.0]]], [k])
    batch = np.arange(8.0).reshape(2, 1, 2, 2)
    np.testing.assert_array_equal(program(batch), [0.5 * (2 + 3), 0.5 * (6 + 7)])
    with pytest.raises(ValueError, match="shape"):
        program(np.zeros((2, 4)))


def test_plan_size_and_drawing() -> None:
    _, model = moons_models()
    params = model.parameters()
    program = trace(lambda s: model(s), [0.1, 0.2], params)
    size = program.size()
    assert size.nodes == 16 + 16 + 16 + 16 + 1
    assert size.groups == 5  # dot, relu, dot, relu, dot
    assert size.calls_per_step > size.groups
    graphviz = pytest.importorskip("graphviz")
    graph = draw_plan(program)
    assert isinstance(graph, graphviz.Digraph)
    assert graph.source.count("matmul") == 3


def test_batched_dots_sums_and_repeated_parents_compile() -> None:
    w = [Value(v, role="parameter") for v in (0.4, -1.2, 0.7)]

    def fn(s: list[Value]) -> list[Value]:
        a = Value.dot([s[0], s[1]], [w[0], w[0]], w[1])  # weights vary per sample: no matrix product
        b = Value.dot([s[1], a], [w[2], w[2]])
        c = Value.dot(w[:2], [a, a], w[2])  # a matrix product whose input tuple repeats a row
        total = Value.sum([a, a, b, w[1]])  # a parent listed twice gets both gradients
        return [total * c, Value.min([a, b, c])]

    program = trace(fn, [0.3, -0.8], w)
    assert {g.kind for g in program.plan} >= {"dot", "matmul", "sum"}
    batch = np.random.default_rng(1).uniform(-2.0, 2.0, (9, 2))
    eager_outputs, eager_grads, scale = eager_reference(fn, batch, w)
    outputs, grads = compiled_run(program, batch, w)
    assert_close(outputs, eager_outputs, scale)
    assert_close(grads, eager_grads, scale * len(batch))


def test_output_weights_leave_an_output_out_and_accumulate_false_leaves_grads_alone() -> None:
    w = Value(0.5, role="parameter")
    loss_only = trace(lambda s: (s[0] * w).tanh(), [1.0], [w])
    loss_and_score = trace(lambda s: [(s[0] * w).tanh(), s[0] * w * w], [1.0], [w])
    batch = np.array([[1.0], [-0.5], [2.0]])
    loss_only(batch)
    expected = loss_only.backward(accumulate=False)
    assert w.grad == 0.0
    outputs = loss_and_score(batch)
    assert outputs.shape == (3, 2)
    got = loss_and_score.backward(output_weights=(1.0, 0.0))
    np.testing.assert_array_equal(got, expected)
    assert w.grad == expected[0]
    with pytest.raises(ValueError, match="output_weights"):
        loss_and_score.backward(output_weights=(1.0,))


def test_backward_needs_a_call_first() -> None:
    w = Value(0.5, role="parameter")
    program = trace(lambda s: s[0] * w, [1.0], [w])
    with pytest.raises(RuntimeError, match="call the program"):
        program.backward()


def test_batch_layers_and_one_hot_cross_entropy_compile() -> None:
    """nn.Sequential of Linear layers, per sample; cross-entropy against a one-hot target given as inputs.

    log_softmax shifts the logits by the largest one's `.data`: traced, that shift is a constant of the
    example, which cancels exactly in log_softmax, so the numbers still agree.
    """
    model = nn.Sequential(nn.Linear(2, 8, seed=1), nn.Tanh(), nn.Linear(8, 3, seed=2))
    params = model.parameters()

    def fn(s: list[Value]) -> Value:
        logits = model([s[:2]])[0]
        return -Value.dot(losses.log_softmax(logits), s[2:])

    rng = np.random.default_rng(0)
    batch = np.column_stack([rng.normal(size=(20, 2)), np.eye(3)[rng.integers(0, 3, 20)]])
    program = trace(fn, batch[0].tolist(), params, check=True)
    assert sum(isinstance(g, MatmulGroup) for g in program.plan) == 2
    eager_outputs, eager_grads, scale = eager_reference(fn, batch, params)
    outputs, grads = compiled_run(program, batch, params)
    assert_close(outputs, np.asarray(eager_outputs)[:, 0], scale)
    assert_close(grads, eager_grads, scale * len(batch))


# ---- the curriculum's layers: convolutions and recurrent networks -------------------------------------------------


def digits_batch(n: int, start: int = 0) -> np.ndarray:
    """Rows of 64 pixels of an 8x8 digit, then the label one-hot (10 numbers)."""
    X, y = data.digits()
    return np.column_stack([X[start : start + n], np.eye(10)[y[start : start + n]]])


def digits_cnn() -> nn.Sequential:
    """The CNN of tests/nn/test_layers.py's digits test: conv 3x3 (1 -> 4), ReLU, 2x2 max pool, Linear(36, 10)."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, init="he", seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 10, seed=1)
    )


def cnn_loss(model: nn.Sequential) -> object:
    """One sample's cross-entropy: the image is the first 64 inputs, the one-hot label the last 10."""

    def fn(s: list[Value]) -> Value:
        image = [[s[r * 8 : (r + 1) * 8] for r in range(8)]]
        logits = model([image])[0]
        return -Value.dot(losses.log_softmax(logits), s[64:])

    return fn


def test_cnn_step_compiled_equals_eager_with_one_matrix_product_per_convolution() -> None:
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    model = digits_cnn()
    params = model.parameters()
    fn = cnn_loss(model)
    batch = digits_batch(12)
    program = trace(fn, batch[0].tolist(), params)
    convs = [g for g in program.plan if isinstance(g, ConvGroup)]
    # 4 channels x 36 positions: one product (4 x 9) @ (9, 36 x samples)
    assert [(g.size, g.w.shape, g.positions) for g in convs] == [(144, (4, 9), 36)]
    assert sum(isinstance(g, MatmulGroup) for g in program.plan) == 1  # the linear head
    eager_outputs, eager_grads, scale = eager_reference(fn, batch, params)
    outputs, grads = compiled_run(program, batch, params)
    assert_close(outputs, np.asarray(eager_outputs)[:, 0], scale)
    assert_close(grads, eager_grads, scale * len(batch))
    assert "conv" in draw_plan(program).source


def test_padded_strided_and_stacked_convolutions_compile() -> None:
    """Padding gives border windows fewer weights (their own groups); a second conv scatters into shared pixels."""
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, seed=3),
        nn.Tanh(),
        nn.Conv2d(3, 2, 2, seed=4),  # overlapping windows: backward adds several patches into one pixel
        nn.ReLU(),
        nn.Conv2d(2, 2, (2, 3), stride=(1, 2), bias=False, seed=5),
        nn.Flatten(),
    )
    params = model.parameters()

    def fn(s: list[Value]) -> list[Value]:
        image = [[s[(c * 5 + r) * 6 : (c * 5 + r + 1) * 6] for r in range(5)] for c in range(2)]
        return model([image])[0]

    rng = np.random.default_rng(7)
    batch = rng.normal(size=(9, 60))
    program = trace(fn, batch[0].tolist(), params, check=True)
    convs = [g for g in program.plan if isinstance(g, ConvGroup)]
    assert len(convs) >= 3 and any(g.x_needs_grad for g in convs)
    eager_outputs, eager_grads, scale = eager_reference(fn, batch, params)
    outputs, grads = compiled_run(program, batch, params)
    assert_close(outputs, eager_outputs, scale)
    assert_close(grads, eager_grads, scale * len(batch))


def test_cnn_training_compiled_equals_eager_loss_at_every_step() -> None:
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    eager_model, compiled_model = digits_cnn(), digits_cnn()
    eager_opt = SGD(eager_model.parameters(), lr=0.1)
    params = compiled_model.parameters()
    compiled_opt = SGD(params, lr=0.1)
    program = trace(cnn_loss(compiled_model), digits_batch(1).ravel().tolist(), params)
    for step in range(3):
        batch = digits_batch(8, start=8 * step)
        images = [[[row[r * 8 : (r + 1) * 8].tolist() for r in range(8)]] for row in batch]
        logits = eager_model(images)
        labels = batch[:, 64:].argmax(axis=1)
        eager_loss = Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, labels)) / 8
        eager_opt.zero_grad()
        eager_loss.backward()
        eager_opt.step()

        compiled_opt.zero_grad()
        compiled_loss = program.loss(batch)
        program.backward()
        compiled_opt.step()
        assert compiled_loss == pytest.approx(eager_loss.data, rel=RTOL, abs=0.0)
    assert_close([p.data for p in params], [p.data for p in eager_model.parameters()])


def lstm_model(seed: int = 0) -> tuple[nn.LSTM, nn.Linear]:
    return nn.LSTM(1, 4, seed=seed), nn.Linear(4, 1, seed=seed + 1)


def lstm_loss(lstm: nn.LSTM, head: nn.Linear, length: int) -> object:
    """One window's squared error: the first `length` inputs are the sequence, the last the next value."""

    def fn(s: list[Value]) -> Value:
        outputs, _ = lstm([[x] for x in s[:length]])
        prediction = head([outputs[-1]])[0][0]  # the last hidden state
        return (prediction - s[length]) ** 2

    return fn


def sine_windows(n: int, length: int, seed: int) -> np.ndarray:
    phases = np.random.default_rng(seed).uniform(0, 2 * np.pi, n)
    return np.sin(phases[:, None] + 0.3 * np.arange(length + 1))


def test_lstm_step_compiled_equals_eager_one_program_per_sequence_length() -> None:
    lstm, head = lstm_model()
    params = lstm.parameters() + head.parameters()
    for length in (1, 6):  # unrolled: each length is its own program
        fn = lstm_loss(lstm, head, length)
        batch = sine_windows(10, length, seed=length)
        program = trace(fn, batch[0].tolist(), params, check=True)
        # every time step's four gates are one matrix product (16 x (1 + 4)) @ (5, samples)
        assert sum(isinstance(g, MatmulGroup) for g in program.plan) == length + 1
        eager_outputs, eager_grads, scale = eager_reference(fn, batch, params)
        outputs, grads = compiled_run(program, batch, params)
        assert_close(outputs, np.asarray(eager_outputs)[:, 0], scale)
        assert_close(grads, eager_grads, scale * len(batch))


def test_lstm_training_compiled_equals_eager_loss_at_every_step() -> None:
    length = 8
    eager_lstm, eager_head = lstm_model()
    lstm, head = lstm_model()
    eager_params = eager_lstm.parameters() + eager_head.parameters()
    params = lstm.parameters() + head.parameters()
    eager_opt, compiled_opt = SGD(eager_params, lr=0.1), SGD(params, lr=0.1)
    eager_fn = lstm_loss(eager_lstm, eager_head, length)
    program = trace(lstm_loss(lstm, head, length), sine_windows(1, length, 0)[0].tolist(), params)
    for step in range(4):
        batch = sine_windows(6, length, seed=10 + step)
        eager_loss = Value.sum(eager_fn([Value(x) for x in row]) for row in batch.tolist()) / len(batch)  # type: ignore[operator]
        eager_opt.zero_grad()
        eager_loss.backward()
        eager_opt.step()

        compiled_opt.zero_grad()
        compiled_loss = program.loss(batch)
        program.backward()
        compiled_opt.step()
        assert compiled_loss == pytest.approx(eager_loss.data, rel=RTOL, abs=0.0)
    assert_close([p.data for p in params], [p.data for p in eager_params])


def test_a_parameter_or_an_input_returned_as_it_is_is_an_output() -> None:
    w = Value(0.5, role="parameter")
    b = Value(0.25, role="parameter")
    program = trace(lambda s: [s[0] * w, b, s[0]], [1.0], [w, b])
    batch = np.array([[1.0], [-2.0], [3.0]])
    np.testing.assert_array_equal(program(batch), [[0.5, 0.25, 1.0], [-1.0, 0.25, -2.0], [1.5, 0.25, 3.0]])
    b.data = -4.0  # read again at every call, as any parameter
    np.testing.assert_array_equal(program(batch)[:, 1], [-4.0, -4.0, -4.0])
    program.backward(reduction="sum")
    assert (w.grad, b.grad) == (1.0 - 2.0 + 3.0, 3.0)  # d(b)/db = 1 for each of the 3 samples
    assert program.backward(output_weights=(0.0, 2.0, 1.0), accumulate=False).tolist() == [0.0, 2.0]


def test_a_penalty_that_is_a_parameter_as_it_is_compiles() -> None:
    w = Value(0.5, role="parameter")
    program = trace(lambda s: s[0] * w, [1.0], [w], penalty=lambda: w)
    batch = np.array([[1.0], [3.0]])
    assert program.loss(batch) == 0.5 * 2.0 + 0.5
    w.data = 2.0
    assert program.loss(batch, reduction="sum") == 2.0 * 4.0 + 2.0
    program.backward(reduction="sum")
    assert w.grad == 4.0 + 1.0


def test_penalty_is_computed_from_the_parameters_current_values() -> None:
    w = Value(0.5, role="parameter")
    program = trace(lambda s: s[0] * w, [1.0], [w], penalty=lambda: 0.1 * w * w)
    assert trace(lambda s: s[0] * w, [1.0], [w]).penalty() == 0.0
    w.data = 3.0  # changed after tracing, before any call
    assert program.penalty() == pytest.approx(0.9, rel=1e-15)
    batch = np.array([[1.0], [2.0]])
    assert program.loss(batch) == pytest.approx(1.5 * 3.0 + 0.9, rel=1e-15)
    w.data = -1.0  # an optimizer step since the last call
    assert program.penalty() == pytest.approx(0.1, rel=1e-15)
    program(batch)
    program.backward(reduction="sum")
    assert w.grad == pytest.approx(3.0 + 0.2 * -1.0, rel=1e-15)
