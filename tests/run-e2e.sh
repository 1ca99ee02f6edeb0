#!/usr/bin/env bash
# Runs the end-to-end tests against the built app in a real window under Xvfb, driven by
# tauri-driver and WebKitWebDriver. Usage: tests/run-e2e.sh [path/to/clinic-journey]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export CLINIC_JOURNEY_BIN="${1:-$root/target/debug/clinic-journey}"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export NO_AT_BRIDGE=1
port="${TAURI_DRIVER_PORT:-4444}"
export TAURI_DRIVER_URL="http://127.0.0.1:$port"

[ -x "$CLINIC_JOURNEY_BIN" ] || { echo "no app binary at $CLINIC_JOURNEY_BIN (run make build-debug)" >&2; exit 1; }

# A WebKit profile of our own (local storage keeps the window's language): a run never sees
# what the desk's own app, or an earlier run, left there.
export XDG_DATA_HOME="$(mktemp -d)"

# A display of our own, so runs never share one.
for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }; done
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"

tauri-driver --port "$port" >"${TMPDIR:-/tmp}/tauri-driver.log" 2>&1 &
driver_pid=$!
# SIGTERM lets tauri-driver end WebKitWebDriver too.
trap 'kill -TERM "$driver_pid" 2>/dev/null || true; wait "$driver_pid" 2>/dev/null || true; kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$XDG_DATA_HOME"' EXIT

for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

node --test --test-concurrency=1 ${E2E_FILES:-"$root"/tests/e2e/*.test.mjs}
