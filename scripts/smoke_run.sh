#!/usr/bin/env bash
# Starts `make run` in a scratch data folder on a spare port, then checks, as a newcomer would, that
# the login page answers in Vietnamese, that the health page sees a worker consuming tasks, and that
# one Ctrl-C (SIGINT to the process group) stops the web server, the worker and beat.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-18765}"
scratch="$(mktemp -d)"
log="$scratch/run.log"

ours() {  # processes started with our scratch VAR_DIR in their environment
  grep -lsa "VAR_DIR=$scratch/var" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true
}
cleanup() {
  for p in $(ours); do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

setsid bash -c "VAR_DIR='$scratch/var' WEB_PORT='$port' exec make run" >"$log" 2>&1 &
leader=$!

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

[ -n "$(ours)" ] || { echo "smoke: cannot see make run's processes" >&2; exit 1; }
echo "smoke: $(ours | wc -l) processes running; sending Ctrl-C"
kill -INT -- "-$leader"
for _ in $(seq 30); do [ -z "$(ours)" ] && break; sleep 1; done
if [ -n "$(ours)" ]; then
  echo "smoke: still running 30 s after Ctrl-C:" >&2
  for p in $(ours); do tr '\0' ' ' <"/proc/$p/cmdline" >&2; echo >&2; done
  exit 1
fi
echo "smoke: Ctrl-C stopped the web server, the worker and beat"
