"""Benchmarks: micrograd_ko against its peers on the same workloads, each engine in its own process.

Run `python -m benchmarks` (or `make bench`); `python -m benchmarks --quick`
runs a tiny configuration in a few seconds.  See benchmarks/README.md.
"""
