#!/usr/bin/env bash
# The bench command: installs what is missing, runs every scenario, writes
# bench/results/latest.json and bench/report.md (see bench/report.py for the flags).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/python -m bench.report "$@"
