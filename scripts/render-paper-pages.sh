#!/usr/bin/env bash
# Render the demo trust's PDF board paper to PNG pages, to look at it and refresh docs/images/board-paper-*.png.
# Needs the demo data (`wellled demo --no-serve`) and poppler-utils (pdftoppm). Usage: scripts/render-paper-pages.sh [OUT_DIR]
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
wellled board-paper --organisation ZNM --plan "Well-led self-review 2025/26" --as-at 2026-11-30 --format pdf \
  --out "$out/board-paper.pdf"
pdftoppm -r 100 -png "$out/board-paper.pdf" "$out/page"
echo "pages in $out:"
ls "$out"/page-*.png
