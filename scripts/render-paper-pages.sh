#!/usr/bin/env bash
# Render the demo trust's PDF board paper to PNG pages, to look at it and refresh docs/images/board-paper-*.png.
# Needs the demo data (`wellled demo --no-serve`) and poppler-utils (pdftoppm). Usage: scripts/render-paper-pages.sh [OUT_DIR]
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
export WELLLED_DEBUG="${WELLLED_DEBUG:-1}"  # the demo's local settings, as `wellled demo` implies them
# The demo is placed relative to the day it was loaded: its plan's name carries a year, its open cycle is last month's.
plan="$(wellled shell --no-imports -c 'from wellled.demo.plans import demo_plan; print(demo_plan().name)')"
as_at="$(date -d "$(date +%Y-%m-01) -1 day" +%F)"
wellled board-paper --organisation ZNM --plan "$plan" --as-at "$as_at" --format pdf --out "$out/board-paper.pdf"
pdftoppm -r 100 -png "$out/board-paper.pdf" "$out/page"
echo "pages in $out:"
ls "$out"/page-*.png
