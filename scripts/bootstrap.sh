#!/usr/bin/env bash
# Creates .venv and installs the pinned Python and Node dependencies. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# npm ci wipes node_modules, so it runs only when a lock changed since the last install.
lock_sum() { sha256sum "$1" | cut -d' ' -f1; }
if [ -f tests/js/package.json ] && command -v npm >/dev/null \
   && [ "$(cat tests/js/node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum tests/js/package-lock.json)" ]; then
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256)
fi
# @firebase/rules-unit-testing, run against the emulator through its hub.
if [ -f tests/rules_unit_testing/package.json ] && command -v npm >/dev/null \
   && [ "$(cat tests/rules_unit_testing/node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum tests/rules_unit_testing/package-lock.json)" ]; then
  (cd tests/rules_unit_testing && npm ci --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256)
fi
# The browser tests: puppeteer-core, the Chromium inside @sparticuz/chromium, esbuild, firebase.
if [ -f tests/browser/package.json ] && command -v npm >/dev/null \
   && [ "$(cat tests/browser/node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum tests/browser/package-lock.json)" ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256)
fi
# client/js (@flowchat/client): installed like tests/js, then built with tsc (incremental,
# so an unchanged tree builds in a second).
if [ -f client/js/package.json ] && command -v npm >/dev/null; then
  if [ "$(cat client/js/node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum client/js/package-lock.json)" ]; then
    (cd client/js && npm ci --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256)
  fi
  (cd client/js && npm run --silent build)
fi
# web/ (the reference app, React + Vite on client/js): its own pinned deps; scripts/dev.sh
# and the browser tests build it.
if [ -f web/package.json ] && command -v npm >/dev/null \
   && [ "$(cat web/node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum web/package-lock.json)" ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256)
fi
# The Firebase CLI (Auth + Functions emulators, deploys).
# --omit=optional skips re2 (Hosting only), which offline would be compiled from C++ for minutes.
if command -v npm >/dev/null && [ "$(cat node_modules/.lock.sha256 2>/dev/null)" != "$(lock_sum package-lock.json)" ]; then
  npm ci --omit=optional --no-audit --no-fund --loglevel=error && lock_sum package-lock.json > node_modules/.lock.sha256
fi
# functions/venv: the Functions emulator activates it and runs python3.11 (runtime python311).
if [ "$(cat functions/venv/.requirements.sha256 2>/dev/null)" != "$(lock_sum functions/requirements.txt)" ]; then
  [ -x functions/venv/bin/python3.11 ] || python3.11 -m venv functions/venv
  functions/venv/bin/python -m pip install -q --disable-pip-version-check -r functions/requirements.txt
  lock_sum functions/requirements.txt > functions/venv/.requirements.sha256
fi
