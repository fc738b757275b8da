"""Compiled mode: trace a per-sample scalar graph once, then run it over a whole batch as numpy.

Eager mode builds one Python object per scalar node, for every sample, at
every step.  But the graph of one sample is the same for every sample: only
the numbers at its inputs change.  So record it once,

    program = trace(lambda x: model(x), example=[0.5, -1.0], params=model.parameters())

and run that recording on a batch, with a leading axis for the samples:

    scores = program(X)               # X has shape (n_samples, 2): every node for all samples at once
    program.backward()                # p.grad += mean over samples of d(score)/d(p), for every parameter

and train with it: the eager loop's four lines inside a training session,
during which the parameters live in one float64 array (`training.py`):

    with Training(program, opt):
        for batch in batches:
            opt.zero_grad()
            loss = program.loss(batch)
            program.backward()
            opt.step()

How the recording becomes fast is the execution plan (`Program.plan`):

* **Groups.**  Nodes with the same op, the same depth (longest path from a
  leaf) and the same number of inputs never depend on each other, so one call
  of the op's `array_forward` computes all of them for all samples: the 16
  ReLUs of a layer are one `np.where` over a (16, n_samples) array.  This is
  operation batching (DyNet's autobatching, TensorFlow Fold's dynamic
  batching); JAX's `vmap` is the same idea along the sample axis.
* **Matrix products.**  The `dot` nodes of a dense layer read one shared tuple
  of inputs with weights that are parameters, so their group is one matrix
  product W @ X plus a bias: (16, k) @ (k, n_samples).
* **Convolutions.**  A convolution's output pixels are dot nodes that read
  different windows (patches) but the same rows of weights.  Matrix-product
  groups of one depth with the same weights merge into one 'conv' group:
  the patches are gathered into one matrix and multiplied once (im2col),
  (O, k) @ (k, positions x n_samples).  An unrolled RNN or LSTM needs
  nothing new: every time step's gate rows share the input tuple [x_t | h],
  so each step is one matrix product (one program per sequence length).
* **In place.**  A layer's activation (relu, tanh, sigmoid) reads the rows
  of its matrix product and nothing else reads them, so it overwrites them:
  W @ X + b and its ReLU are one block of rows, with no copy between them,
  and backward turns the block's gradient d/dh into d/dz in place.  A matrix
  product that alone sends a gradient to its input rows writes it there
  (`np.matmul(..., out=...)`) instead of adding it, so those rows are never
  zeroed.  A layer's weights lie in the parameter vector neuron by neuron,
  so they are read as a strided view of it, not gathered.  At a batch of
  10,000 this is what brings the plan close to numpy written by hand
  (`python -m benchmarks.scaling`).
* **Backward** walks the groups in reverse.  Each group multiplies its
  output gradients by the op's `local_grads` (the op table's formula, run
  with `namespaces.ARRAYS`) and adds the result into its parents' rows, with a slice
  or a fancy index when the rows are distinct and `np.add.at` when a row
  repeats; a matrix-product group sends W.T @ g to its inputs and g @ X.T to
  its weights.  No Python loop runs over nodes or samples, only over groups.

Leaves are of three kinds: the sample inputs (one column of the batch each),
the parameters (read fresh at every call, from their Values or from the open
training session's array, so an optimizer step between calls is seen) and
constants (numbers frozen at trace time).
A layer whose forward reads more than its inputs and parameters says so
through `nn.module.side_input` while tracing, and how to get the numbers at
run time:

* BatchNorm1d in eval mode: its running statistics become constants re-read
  from the module at every call, so a training step or a `load` in between
  is seen.
* Dropout in training mode: its factors (0 or 1/(1-p)) become leaves drawn
  afresh for every sample at every call, from the layer's generator, exactly
  as an eager call on the same batch draws its mask.
* BatchNorm1d in training mode: the sample's graph reads a batch-mean and a
  batch-variance node per feature; they are a group of their own over the
  batch axis (every sample's output depends on every sample's input, so
  their backward sums over the samples), and after every call the module's
  running statistics move as an eager training call moves them.

A layer that reads randomness or batch statistics without saying how is
refused at trace time by a `CompileError` naming it.  The mode is frozen at
trace time: trace a second program after `model.eval()` for evaluation.
A `penalty` that depends on parameters only, such as `1e-4 * l2(params)`,
is traced as a second program and added once per batch, not once per sample.

Honest limits:

* Tracing records the graph of the example only.  Python control flow that
  reads `.data` (`if v.data > 0: ...`) or numbers computed from `.data` are
  frozen as they were for the example; a sample that would have taken the
  other branch silently gets the example's graph.  `trace(..., check=True)`
  replays a few samples of every batch eagerly and raises `TraceCheckError`
  when the results differ, as `torch.jit.trace`'s check does.
* Library code reads `.data` too: `losses.softmax` and `log_softmax` shift
  the logits by the largest one's `.data`.  Traced, that shift is the
  example's; it cancels exactly, so the numbers agree, but a sample whose
  logits are far larger than the example's can overflow where eager does not.
* The domain checks of eager mode are not run: a sample outside an op's
  domain gives NaN or inf, as numpy does, instead of a DomainError.
* An op whose `array_forward` or `local_grads` does not work on arrays (a
  custom op written with `math.exp`, or with an `if` on its input) is
  rejected at trace time by a `CompileError` that names it.

The room, one job per file, in reading order:

* `trace.py`: `trace` runs the function on the example and checks the plan
  against the traced numbers;
* `plan.py`: from the traced nodes to a `Plan` (which nodes need a gradient,
  the groups, their rows, convolutions merged);
* `fusion.py`: activations in place, gradients written instead of added;
* `groups.py`: the group kernels, each a few numpy calls forward and backward;
* `program.py`: the `Program` at run time (call, loss, backward, check);
* `training.py`: `Training`, a training session: the parameters in one flat
  array, the optimizer stepping it, the Values reading and writing it;
* `draw.py`: `draw_plan`, the plan as a picture.
* `errors.py`: `CompileError` and `TraceCheckError`; `_buffers.py` and
  `_samples.py`: the buffers' rows and a sample's nesting, shared inside the room.
"""

from micrograd_ko.compiler.draw import draw_plan
from micrograd_ko.compiler.errors import CompileError, TraceCheckError
from micrograd_ko.compiler.groups import (
    BatchStatsGroup,
    ConvGroup,
    DotGroup,
    Group,
    InPlaceGroup,
    MapGroup,
    MatmulGroup,
    SumGroup,
)
from micrograd_ko.compiler.plan import Plan
from micrograd_ko.compiler.program import PlanSize, Program
from micrograd_ko.compiler.trace import trace
from micrograd_ko.compiler.training import TrainedValue, Training

__all__ = [
    "BatchStatsGroup",
    "CompileError",
    "ConvGroup",
    "DotGroup",
    "Group",
    "InPlaceGroup",
    "MapGroup",
    "MatmulGroup",
    "Plan",
    "PlanSize",
    "Program",
    "SumGroup",
    "TraceCheckError",
    "TrainedValue",
    "Training",
    "draw_plan",
    "trace",
]
