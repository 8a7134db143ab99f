#!/usr/bin/env bash
# Runs the local stack (README's "run it" command): PostgreSQL, emulators, functions, demo data.
# Flags: --check (start, seed, verify, exit), --isolated (free ports, temporary data),
# --keep-data (keep PostgreSQL + Firestore data of the previous clean exit). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m scripts.dev "$@"
