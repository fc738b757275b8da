"""Drawing computation graphs: every Value with its data and grad, and backward one step at a time.

`draw(root)` returns a `graphviz.Digraph` (Jupyter shows it inline as SVG);
`save(root, "graph.svg")` writes it to a file.  `backward_steps(root)` replays
backpropagation one node at a time (the same order and arithmetic as
`Value.backward()`); `draw_step` draws one such frame, and `step_through` /
`save_steps` show them all with a slider, in Jupyter or as one offline HTML page.

The rooms, in the order they build on each other:

* `style`: colours, fonts, the number format and the look of one grad cell;
* `steps`: `backward_steps` and `BackwardStep`, backward replayed frame by frame;
* `graph`: `draw`, `draw_step` and `digraph`, the drawing itself;
* `render`: `save`, the formats, the Korean-font check and the one call of Graphviz's `dot`;
* `page`: `step_through`, `save_steps` and `StepThrough`, the step-through page;
* `errors`: what drawing can raise or warn.

PNG and PDF output draw Hangul only with a Korean font installed; `save` warns
(`MissingFontWarning`) when fontconfig lists none.
"""

from micrograd_ko.viz.errors import GraphTooLargeError, GraphvizNotFoundError, MissingFontWarning
from micrograd_ko.viz.graph import draw, draw_step
from micrograd_ko.viz.page import StepThrough, save_steps, step_through
from micrograd_ko.viz.render import FORMATS, save
from micrograd_ko.viz.steps import BackwardStep, backward_steps
from micrograd_ko.viz.style import FONT_FAMILY, RANKDIRS

__all__ = [
    "FONT_FAMILY",
    "FORMATS",
    "RANKDIRS",
    "BackwardStep",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "MissingFontWarning",
    "StepThrough",
    "backward_steps",
    "draw",
    "draw_step",
    "save",
    "save_steps",
    "step_through",
]
