"""Benchmarks that print comparable figures; `bash scripts/bench.sh` gathers them into
bench/report.md."""
