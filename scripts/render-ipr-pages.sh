#!/usr/bin/env bash
# Render the demo trust's integrated performance report (PDF) to PNG pages, to look at it and refresh
# docs/images/ipr-*.png. Needs the demo data (`wellled demo --no-serve`) and poppler-utils (pdftoppm).
# Usage: scripts/render-ipr-pages.sh [OUT_DIR]
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
export WELLLED_DEBUG="${WELLLED_DEBUG:-1}"  # the demo's local settings, as `wellled demo` implies them
wellled ipr --organisation ZNM --format pdf --out "$out/ipr.pdf"
pdftoppm -r 80 -png "$out/ipr.pdf" "$out/page"
echo "pages in $out:"
ls "$out"/page-*.png
