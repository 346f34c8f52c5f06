#!/usr/bin/env bash
# One command to run the checks and the whole test suite. By default on SQLite with an in-process
# Celery; set DATABASE_URL and CELERY_BROKER_URL to run the same suite on PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=collections_crm.settings.test

bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> Installing Debian's Chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium at /usr/bin/chromium (Debian/Ubuntu: sudo apt-get install chromium)." >&2
    exit 1
  fi
fi
echo "==> ruff"
.venv/bin/ruff check .
echo "==> migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
echo "==> pytest (database: ${DATABASE_URL:-sqlite in memory}, broker: ${CELERY_BROKER_URL:-in-process})"
.venv/bin/pytest "$@"
