#!/usr/bin/env bash
# Duplicate pairs per 1,000 lines of src/, migrations aside (the house aims at 4 or fewer; issue 21).
# Needs the `duplicates` command of the development machines. Usage: scripts/duplicate-density.sh [--most N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root/src" && find . -name '*.py' -not -path '*/migrations/*' -not -path '*/__pycache__/*' -print0 \
  | xargs -0 cp --parents -t "$tmp")
lines="$(find "$tmp" -name '*.py' -print0 | xargs -0 cat | wc -l)"
args=("$@"); [[ ${#args[@]} -gt 0 ]] || args=(--most 1)
out="$(duplicates --repo "$tmp" --seconds 300 "${args[@]}")"
pairs="$(printf '%s\n' "$out" | head -n1 | grep -oE '^[0-9]+' || echo 0)"
printf '%s\n' "$out" | sed "s#$tmp/##g"
python3 -c "print(f'{$pairs} pairs in {$lines} lines: {1000*$pairs/$lines:.2f} per 1,000 lines')"
