#!/usr/bin/env bash
# One command from a fresh clone to a running app on the embedded default: SQLite, the filesystem
# Celery broker (no server), a real worker and beat, demo data, offline payments, the dev outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=collections_crm.settings.local
PORT=${PORT:-8000}

bash scripts/setup.sh
echo "==> Migrating the database (db.sqlite3)"
.venv/bin/python manage.py migrate --noinput
echo "==> Loading the demo portfolio (skipped when it is already there)"
.venv/bin/python manage.py seed_demo --accounts "${DEMO_ACCOUNTS:-2000}" --if-empty

cat <<MSG

  Collections CRM is starting at http://127.0.0.1:${PORT}/
  Demo sign-ins (password: ${DEMO_PASSWORD:-collect-with-care}):
    agent       agent.ada       (also agent.tunde, agent.maria)
    supervisor  sup.kemi
    admin       admin.ama
  Press Ctrl+C to stop the web server, the Celery worker and Celery beat.

MSG
PORT=$PORT exec .venv/bin/honcho -f Procfile.dev start
