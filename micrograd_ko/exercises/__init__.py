"""Exercises that check themselves: the learner writes the engine piece by piece, a check grades each piece.

    from micrograd_ko.exercises import check, progress
    check("02.2", backward)     # prints, in Korean: pass, or the smallest failing input and a hint
    progress("02")              # which exercises of notebook 02 pass so far

The checks run the learner's code against real oracles (the engine, finite
differences, hypothesis with a fixed seed and a small budget, PyTorch when it
is installed) and never print a solution.  The exercises themselves (texts,
solutions, wrong answers) live in the repository's `exercises/` folder, not in
the installed package; `micrograd_ko.exercises.compose` turns them into the
learner's notebooks and the answer key.

The rooms: `_framework` (registry, search, report), `engine` (01–02),
`training` (03–05), `models` (06–09), `layers` (10–15), `initialization` (10b),
`deeper` (11b, 12b, 13b, 14b, 16), `drawing`, `progress`, `compose`.
"""

from micrograd_ko.exercises import deeper, engine, initialization, layers, models, training  # noqa: F401  (registers their checks)
from micrograd_ko.exercises._framework import EXERCISES, RECORDED, Exercise, Mismatch, Outcome, check, grade
from micrograd_ko.exercises.progress import progress

__all__ = ["EXERCISES", "RECORDED", "Exercise", "Mismatch", "Outcome", "check", "grade", "progress"]
