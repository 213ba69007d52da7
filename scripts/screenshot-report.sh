#!/usr/bin/env bash
# Regenerates docs/report.png, the README's picture of the default project's latest report,
# from the current source: builds the project (content/) with the debug binary, serves the site
# on a loopback port and takes a 1280 × 1400 screenshot of the latest report in headless
# Chromium, light mode. Run it after a change that shows on the report's first screen.
#
#   scripts/screenshot-report.sh [OUT.png]      (default: docs/report.png)
#
# Needs chromium (Debian: apt-get install chromium) and python3. SMARKETING=path uses that
# binary instead of building one; AS_OF=YYYY-MM-DD builds as of that day (default: today).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/report.png}")
command -v chromium >/dev/null || { echo "screenshot-report: chromium is missing (apt-get install chromium)" >&2; exit 2; }
bin=${SMARKETING:-}
if [ -z "$bin" ]; then
  cargo build --quiet
  bin=target/debug/smarketing
fi
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$bin" build --quiet --output "$work/site" ${AS_OF:+--as-of "$AS_OF"}
# The overview's "Latest report" link names the month.
page=$(grep -o 'href="reports/[0-9]\{4\}-[0-9]\{2\}/index.html">Latest report' "$work/site/index.html" | head -1 | cut -d'"' -f2)
[ -n "$page" ] || { echo "screenshot-report: the overview links no latest report" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --force-device-scale-factor=1 \
  --blink-settings=preferredColorScheme=1 --user-data-dir="$work/profile" \
  --window-size=1280,1400 --screenshot="$out" "http://127.0.0.1:$port/$page" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot-report: chromium wrote no image" >&2; exit 1; }
echo "screenshot-report: wrote $out ($page)"
