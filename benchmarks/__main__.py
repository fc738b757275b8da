"""`python -m benchmarks [--quick] [...]`: run the benchmarks and write results.json and results.md."""

from benchmarks.runner import main

raise SystemExit(main())
