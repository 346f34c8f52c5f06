#!/usr/bin/env bash
# Install everything the app needs into .venv and node_modules, reproducibly (constraints.txt and
# package-lock.json pin every version), then compile the translation catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtual environment (.venv)"
  "$PYTHON" -m venv .venv
fi
echo "==> Installing Python packages (pinned by constraints.txt)"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"

echo "==> Installing front-end libraries (pinned by package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

if [ -d locale ]; then
  echo "==> Compiling translations"
  .venv/bin/pybabel compile --use-fuzzy -d locale -D django --statistics 2>&1 | tail -n 4
fi
