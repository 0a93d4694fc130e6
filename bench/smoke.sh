#!/usr/bin/env bash
# Every bench/ script run once at a small size, so none of them rots (issue 24). No timing is judged: a script
# passes if it runs to the end. Run from the repository root in an environment with '.[test,bench]' installed:
# `bash bench/smoke.sh`. With WELLLED_BENCH_PG_URL set to an empty PostgreSQL database, the PostgreSQL-only
# portfolio benchmark runs too. Each script's line says how long it took.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PYTHONUNBUFFERED=1
failed=()
run() {
  local start=$SECONDS rc=0
  printf -- '--- bench/%s\n' "$*"
  timeout 600 python "bench/$@" >/tmp/wellled-bench-smoke.log 2>&1 || rc=$?
  tail -n 3 /tmp/wellled-bench-smoke.log | sed 's/^/    /'
  if [[ $rc != 0 ]]; then
    cat /tmp/wellled-bench-smoke.log
    failed+=("$1")
  fi
  printf '    (%ds, exit %d)\n' "$((SECONDS - start))" "$rc"
}
# Sizes: the smallest each script's options allow; scripts without a size option run their own case once.
run spc.py --repeat 1
run bench_import.py --rows 200 --repeat 1
run import_bounds.py --rows 20000
run portfolio_quick.py --trusts 2 --repeat 1
run measures.py --repeat 1
run board_paper.py --repeat 1
run pages.py --repeat 1
run api.py --repeat 1
run ipr.py --repeat 1
run ftsu_board.py --cases 40 --repeat 1
run information.py
run issue_paper.py
run risks.py --repeat 1
run pack.py --items 4 --wellled 1 --pages 2 --repeat 1
run memory_at_limits.py --rounds 1
run import_bounds_plain.py
run demo_load.py --repeat 1
run load.py --small
run page_cost.py --small
if [[ -n "${WELLLED_BENCH_PG_URL:-}" ]]; then
  WELLLED_DATABASE_URL="$WELLLED_BENCH_PG_URL" run portfolio_scale.py --small
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench scripts that did not run to the end: ${failed[*]}" >&2
  exit 1
fi
echo "every bench script ran"
