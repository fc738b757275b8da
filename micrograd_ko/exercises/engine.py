"""Checks of the exercises that build the engine (notebooks 01 and 02): a Value of one's own, its order, backward.

The learner's `Scalar` (01) is their own class with `data`, `grad`, `parents`
and `local_grads`; its oracle is the engine's `Value` and central finite
differences of the learner's own forward.  The exercises of 02 run on the
engine's `Value` (its `parents`, `local_grads` and `grad`), with random graphs
from `micrograd_ko.testing` as inputs and the engine's `backward` as oracle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from micrograd_ko.autograd import Value
from micrograd_ko.exercises._framework import Mismatch, exercise, expect, first_failure, numbers
from micrograd_ko.exercises.drawing import draw_difference

__all__ = ["chain", "derivative"]

DEEP = 20_000
"""The length of the chain an order must survive: far past Python's recursion limit (1,000)."""


def derivative(out: Any, leaf: Any) -> float:
    """d(out)/d(leaf) by the chain rule over any graph of nodes with `parents` and `local_grads`.

    An iterative walk of the learner's own nodes: it reads their graph, it does not use their backward.
    """
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(out, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in tuple(node.parents))
    grads = {id(out): 1.0}
    for node in reversed(order):
        g = grads.get(id(node), 0.0)
        for parent, local in zip(tuple(node.parents), tuple(node.local_grads)):
            grads[id(parent)] = grads.get(id(parent), 0.0) + float(local) * g
    return grads.get(id(leaf), 0.0)


def chain(length: int) -> tuple[Value, Value]:
    """A leaf and a chain of `length` additions on it: (x, ((x + 1) + 1) ...)."""
    x = Value(0.5, label="x")
    node = x
    for _ in range(length):
        node = node + 1.0
    return x, node


def _check_node(case: str, node: Any, expected: Value, parents: tuple[Any, ...], what: str) -> None:
    if not hasattr(node, "data"):
        raise Mismatch(case, "data가 있는 Scalar", node, f"{what}는 새 Scalar를 만들어 돌려주어야 합니다.")
    expect(case + " 의 data", expected.data, node.data, f"{what}의 값(data)을 계산하는 식을 확인하세요.")
    got_parents = tuple(getattr(node, "parents", ()))
    if len(got_parents) != len(parents) or any(a is not b for a, b in zip(got_parents, parents)):
        raise Mismatch(
            case + " 의 parents",
            f"피연산자 {len(parents)}개를 순서대로",
            got_parents,
            f"{what}의 결과는 parents에 피연산자 자신(Scalar)을 인자 순서대로 기억해야 합니다.",
        )
    expect(
        case + " 의 local_grads",
        list(expected.local_grads),
        list(getattr(node, "local_grads", ())),
        f"{what}의 국소 도함수: 결과를 각 피연산자로 미분하면 무엇인가요? 순서는 parents와 같아야 합니다.",
    )


@exercise("01.1", "Scalar의 더하기와 곱하기")
def add_and_mul(scalar: type) -> None:
    """x + y and x * y: their data, their parents (x, y) and local derivatives, against the engine's Value."""
    from hypothesis import strategies as st

    def trial(ab: tuple[float, float]) -> None:
        a, b = ab
        x, y = scalar(a), scalar(b)
        _check_node(f"Scalar({a}) + Scalar({b})", x + y, Value(a) + Value(b), (x, y), "더하기")
        x, y = scalar(a), scalar(b)
        _check_node(f"Scalar({a}) * Scalar({b})", x * y, Value(a) * Value(b), (x, y), "곱하기")

    first_failure(st.tuples(numbers(), numbers()), trial)
    x = scalar(2.0)
    expect("Scalar(2.0) + 3 의 data", 5.0, (x + 3).data, "숫자가 오면 먼저 Scalar로 감싸세요.")


@exercise("01.2", "반사 연산자와 빼기")
def reflected(scalar: type) -> None:
    """c + x, c * x, c - x, x - c, -x and x - x: values and d/dx through the learner's graph."""
    from hypothesis import strategies as st

    forms: list[tuple[str, Callable[[float, Any], Any], str]] = [
        ("{c} + x", lambda c, x: c + x, "__radd__"),
        ("{c} * x", lambda c, x: c * x, "__rmul__"),
        ("{c} - x", lambda c, x: c - x, "__rsub__"),
        ("x - {c}", lambda c, x: x - c, "__sub__"),
        ("-x", lambda c, x: -x, "__neg__"),
        ("x - x", lambda c, x: x - x, "__sub__"),
    ]

    def trial(ca: tuple[float, float]) -> None:
        c, a = ca
        for text, form, method in forms:
            case = text.format(c=c) + f" (x = {a})"
            x = scalar(a)
            out = form(c, x)
            expected = form(c, Value(a))
            hint = f"{method}를 확인하세요: 어느 쪽이 왼쪽 피연산자인가요?"
            expect(case + " 의 값", expected.data, getattr(out, "data", out), hint)
            expect(
                case + " 의 d/dx",
                _engine_grad(form, c, a),
                derivative(out, x),
                hint + " 새 Scalar는 + 와 * 로 만드세요.",
            )

    first_failure(st.tuples(numbers(), numbers()), trial)


def _engine_grad(form: Any, c: float, a: float) -> float:
    x = Value(a)
    form(c, x).backward()
    return x.grad


@exercise("01.3", "tanh와 exp")
def tanh_and_exp(scalar: type) -> None:
    """x.tanh() and x.exp(): values and local derivatives against the engine and central differences."""

    def trial(a: float) -> None:
        for name in ("tanh", "exp"):
            x = scalar(a)
            node = getattr(x, name)()
            case = f"Scalar({a}).{name}()"
            _check_node(case, node, getattr(Value(a), name)(), (x,), name)
            h = 1e-6
            slope = (getattr(scalar(a + h), name)().data - getattr(scalar(a - h), name)().data) / (2 * h)
            expect(
                case + " 의 국소 도함수 (유한 차분과 비교)",
                slope,
                node.local_grads[0],
                f"{name}의 도함수 식을 확인하세요.",
                1e-4,
            )

    first_failure(numbers(), trial)


# ---- notebook 02: the order, backward and zero_grad on the engine's Value ---------------------------------


def _graph(expr: Any) -> Value:
    return expr(*[Value(x) for x in expr.inputs])  # type: ignore[no-any-return]


@exercise("02.1", "재귀 없는 위상 정렬")
def order(topological_order: Any) -> None:
    """Every node once, each after its parents, root last; and a chain of DEEP nodes without RecursionError."""
    from micrograd_ko.testing import expressions

    def trial(expr: Any) -> None:
        root = _graph(expr)
        got = list(topological_order(root))
        case = f"{expr!r} 의 그래프 (노드 {len(root.topological_order())}개)"
        expected = root.topological_order()
        if len({id(n) for n in got}) != len(got):
            raise Mismatch(
                case, "노드마다 한 번씩", "같은 노드가 두 번 이상", "이미 방문한 노드를 기억하는 집합(set)이 있나요?"
            )
        if {id(n) for n in got} != {id(n) for n in expected}:
            raise Mismatch(
                case,
                f"노드 {len(expected)}개",
                f"노드 {len(got)}개",
                "root에서 parents를 따라 닿는 노드를 모두 넣었나요?",
            )
        position = {id(n): i for i, n in enumerate(got)}
        for node in got:
            for parent in node.parents:
                if position[id(parent)] > position[id(node)]:
                    raise Mismatch(
                        case,
                        "부모가 자식보다 앞에",
                        f"{parent!r}가 {node!r}보다 뒤에",
                        "노드는 부모들을 모두 넣은 뒤에 넣어야 합니다.",
                    )
        if got[-1] is not root:
            raise Mismatch(case, "root가 맨 끝", got[-1], "root는 모든 노드에 의존하므로 마지막에 와야 합니다.")

    first_failure(expressions(max_steps=6), trial)
    _x, root = chain(DEEP)
    got = list(topological_order(root))
    expected = len(root.topological_order())
    expect(f"x에 1을 {DEEP}번 더한 사슬의 노드 수", expected, len(got), "사슬의 모든 노드를 한 번씩 나열하세요.")


@exercise("02.2", "기울기를 누적하는 backward")
def backward(backward: Any) -> None:
    """The learner's backward(root) gives every node the engine's gradient, a node used twice included."""
    from micrograd_ko.testing import expressions

    def compare(case: str, make: Any) -> None:
        mine, theirs = make(), make()
        backward(mine[-1])
        theirs[-1].backward()
        for i, (a, b) in enumerate(zip(mine[:-1], theirs[:-1])):
            try:
                expect(f"{case}: x{i}.grad", b.grad, a.grad, _BACKWARD_HINT)
            except Mismatch as wrong:
                wrong.picture = draw_difference(mine[-1], theirs[-1])
                raise

    def trial(expr: Any) -> None:
        def make() -> list[Value]:
            xs = [Value(x) for x in expr.inputs]
            return [*xs, expr(*xs)]

        compare(repr(expr), make)

    def square() -> list[Value]:
        x = Value(3.0)
        return [x, x * x]

    compare("x = 3.0, out = x * x (x가 두 번 쓰임)", square)
    first_failure(expressions(max_steps=6), trial)


_BACKWARD_HINT = (
    "root.grad를 1로 두고 위상 정렬의 역순으로 parent.grad에 local_grad * node.grad를 더하세요(+=). "
    "두 번 쓰인 노드는 두 기여를 모두 받아야 합니다."
)


@exercise("02.3", "zero_grad")
def zero_grad(zero_grad: Any) -> None:
    """After backward twice with zero_grad between, the leaves hold one backward's gradient and keep their data."""
    w, b = Value(2.0, role="parameter"), Value(-1.0, role="parameter")

    def loss() -> Value:
        return (w * 3.0 + b).tanh() + w * w

    loss().backward()
    once = (w.grad, b.grad)
    zero_grad([w, b])
    expect(
        "zero_grad([w, b]) 뒤의 (w.grad, b.grad)",
        [0.0, 0.0],
        [w.grad, b.grad],
        "모든 매개변수의 grad를 0으로 되돌리세요.",
    )
    expect(
        "zero_grad([w, b]) 뒤의 (w.data, b.data)",
        [2.0, -1.0],
        [w.data, b.data],
        "data는 건드리지 말고 grad만 지우세요.",
    )
    loss().backward()
    expect("zero_grad 뒤 다시 backward한 (w.grad, b.grad)", list(once), [w.grad, b.grad], "grad만 0으로 두면 됩니다.")
