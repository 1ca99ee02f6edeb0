#!/usr/bin/env bash
# Prints the release app's startup time (launch → first painted window with the demo clinic's
# schedule) and its memory once idle, beside a Tauri hello-world's (tests/hello-world), under
# Xvfb. Usage: tests/measure-startup.sh [binary] [runs] [hello-world binary]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/target/release/clinic-journey}"
runs="${2:-7}"
hello="${3:-$root/target/release/tauri-hello-world}"
export WEBKIT_DISABLE_COMPOSITING_MODE=1 NO_AT_BRIDGE=1
[ -x "$bin" ] || { echo "no app binary at $bin (run make build)" >&2; exit 1; }

data="$(mktemp -d)"
for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }; done
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
export DISPLAY="$display"
sleep 0.5

echo "demo clinic: $("$bin" --data-dir "$data" demo)"

now_ms() { date +%s%3N; }
# Launch to first painted window with data, per run (the first run also warms the disk cache).
times=()
for i in $(seq 1 "$runs"); do
  launched=$(now_ms)
  line=$("$bin" --data-dir "$data" --measure-startup | grep "first painted")
  painted=${line##* }
  times+=($((painted - launched)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "launch → first painted window with data, $runs runs (ms): ${times[*]}"
echo "median: $(echo "$sorted" | sed -n "$(((runs + 1) / 2))p") ms"

# Idle memory: a program and its WebKit web and network processes, 15 s after start. Sets
# $pss (kB) and prints one line.
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/$3"; }
idle_memory() {
  local name=$1; shift
  "$@" &
  local app=$!
  sleep 15
  local pids="$app $(pgrep -P "$app" | tr '\n' ' ')"
  local rss_main total_rss=0 p each=""
  rss_main=$(kb "$app" VmRSS status)
  pss=0
  for p in $pids; do
    total_rss=$((total_rss + $(kb "$p" VmRSS status)))
    pss=$((pss + $(kb "$p" Pss smaps_rollup)))
    each="$each $(cat "/proc/$p/comm") $(($(kb "$p" Pss smaps_rollup) / 1024)) MB;"
  done
  echo "PSS of each process of $name:$each"
  echo "idle memory of $name: main process RSS $((rss_main / 1024)) MB ($(($(kb "$app" RssAnon status) / 1024)) MB private, $(($(kb "$app" RssFile status) / 1024)) MB file pages); with its WebKit processes ($(echo $pids | wc -w) in all) RSS $((total_rss / 1024)) MB, PSS $((pss / 1024)) MB"
  kill "$app"; wait "$app" 2>/dev/null || true
}

idle_memory "Clinic Journey (demo clinic)" "$bin" --data-dir "$data"
app_pss=$pss
if [ -x "$hello" ]; then
  idle_memory "the Tauri hello-world" "$hello"
  echo "PSS ratio, Clinic Journey / hello-world: $(awk -v a="$app_pss" -v h="$pss" 'BEGIN { printf "%.2f", a / h }')"
else
  echo "no hello-world at $hello (make measure builds it)"
fi
