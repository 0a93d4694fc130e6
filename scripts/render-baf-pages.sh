#!/usr/bin/env bash
# Render the demo trust's BAF paper to PNG pages, to look at it and refresh docs/images/baf-paper-*.png.
# Needs the demo data (`wellled demo --no-serve`) and poppler-utils (pdftoppm). Usage: scripts/render-baf-pages.sh [OUT_DIR]
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
wellled baf-paper --organisation ZNM --format pdf --out "$out/baf-paper.pdf"
pdftoppm -r 80 -png "$out/baf-paper.pdf" "$out/page"
echo "pages in $out:"
ls "$out"/page-*.png
