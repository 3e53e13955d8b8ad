#!/usr/bin/env bash
# Starts `make run` in a scratch data folder on a spare port, then checks, as a newcomer would, that
# the login page answers in Vietnamese and that the health page sees a worker consuming tasks.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-18765}"
scratch="$(mktemp -d)"
log="$scratch/run.log"
cleanup() {
  [ -n "${pid:-}" ] && kill -INT -- "-$pid" 2>/dev/null || true
  sleep 2
  [ -n "${pid:-}" ] && kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

set -m
VAR_DIR="$scratch/var" WEB_PORT="$port" make run >"$log" 2>&1 &
pid=$!
set +m

ok=""
for _ in $(seq 120); do
  if curl -fsS "http://127.0.0.1:$port/health/?format=json" 2>/dev/null | grep -q '"worker": true'; then ok=1; break; fi
  sleep 1
done
if [ -z "$ok" ]; then
  echo "smoke: no worker heartbeat within 120 s; log follows" >&2
  tail -n 60 "$log" >&2
  exit 1
fi
page="$(curl -fsSL "http://127.0.0.1:$port/")"
echo "$page" | grep -q "Đăng nhập" || { echo "smoke: login page not in Vietnamese" >&2; exit 1; }
echo "smoke: login page in Vietnamese, worker consuming tasks"
