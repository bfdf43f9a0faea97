#!/bin/sh
# Regenerates docs/report-西乡街道.svg: the auditor's report of 西乡街道 on the bundled demo corpus.
# Run from anywhere after set-up (bootstrap.py); the demo store is throwaway. Re-run it whenever
# scoring changes, so the picture in the README shows what the tracker concludes today.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
tracker="${TRACKER:-$root/.venv/bin/tracker}"
store="$(mktemp -d)"
trap 'rm -rf "$store"' EXIT
"$tracker" demo --db "$store/demo.db" > /dev/null
"$tracker" --db "$store/demo.db" report --street 西乡街道 --width 120 --svg "$root/docs/report-西乡街道.svg" > /dev/null
echo "wrote $root/docs/report-西乡街道.svg"
