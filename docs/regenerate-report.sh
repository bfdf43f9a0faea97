#!/bin/sh
# Regenerates the pictures of the README from the bundled demo corpus, on a throwaway demo store:
#   docs/report-西乡街道.svg   `tracker report --street 西乡街道 --svg`: the overview of the street
#   docs/report-html.png      the `--html` page of the same street, opened by headless Chromium
#                             (Debian's `chromium`) with no network, first screen, 64 colours
# Run from anywhere after set-up (bootstrap.py). Re-run it whenever scoring or the report changes,
# so the pictures in the README show what the tracker concludes today.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
tracker="${TRACKER:-$root/.venv/bin/tracker}"
python="${PYTHON:-$root/.venv/bin/python}"
chromium="${CHROMIUM:-chromium}"
store="$(mktemp -d)"
trap 'rm -rf "$store"' EXIT
"$tracker" demo --db "$store/demo.db" > /dev/null
"$tracker" --db "$store/demo.db" report --street 西乡街道 --width 120 \
    --svg "$root/docs/report-西乡街道.svg" --html "$store/report.html" > /dev/null
echo "wrote $root/docs/report-西乡街道.svg"
# No network: in a network namespace of its own where unshare may make one, and never resolving a host.
offline=""
if [ "$(id -u)" -eq 0 ] && command -v unshare > /dev/null; then offline="unshare -n"; fi
$offline "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --host-resolver-rules="MAP * ~NOTFOUND" --window-size=1100,900 \
    --screenshot="$store/report.png" "file://$store/report.html" > /dev/null 2>&1
"$python" -c 'import sys; from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(64).save(sys.argv[2], optimize=True)' \
    "$store/report.png" "$root/docs/report-html.png"
echo "wrote $root/docs/report-html.png"
