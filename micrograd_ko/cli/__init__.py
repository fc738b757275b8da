"""The command line: `demo` (train on two moons), `draw` (render a formula's graph) and the formula parser."""
