#!/usr/bin/env bash
# Vendor the front-end assets Wellled serves, from pinned npm packages, into src/wellled/static/vendor/.
#
# The results are committed, so installing or running Wellled needs no Node.js; only whoever bumps a
# version runs this script (it needs `npm`, and reaches the npm registry through `npm pack`).
#
#   nhsuk-frontend  must match the Python package nhsuk-frontend-jinja pinned in pyproject.toml
#                   (nhsuk-frontend-jinja 0.10.2 renders the markup of nhsuk-frontend 10.6.x).
#   htmx.org        an exact 2.0.x release.
#
# Two edits are made to the upstream files, and both are recorded in VERSIONS.txt with the sha256 of
# the upstream file and of the vendored one:
#   - the stylesheet refers to its icons as url(/assets/images/...), i.e. at the site root; they are
#     rewritten to url(assets/images/...), relative to the stylesheet, which is where this script puts
#     them (static/vendor/nhsuk-frontend/assets/);
#   - the trailing sourceMappingURL comments are removed, because the source maps (about 1 MB) are not
#     vendored and Django's manifest storage refuses a reference to a missing file;
#   - the @font-face rules are removed: they load the Frutiger web font from assets.nhs.uk, and Wellled
#     makes no requests to other sites (its content security policy would refuse them anyway), so pages
#     use the next font in the NHS.UK stack, Arial.
set -euo pipefail

NHSUK_FRONTEND_VERSION="10.6.1"
HTMX_VERSION="2.0.11"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/src/wellled/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "vendor-frontend: npm is needed to run this script" >&2; exit 1; }

echo "vendor-frontend: npm pack nhsuk-frontend@$NHSUK_FRONTEND_VERSION htmx.org@$HTMX_VERSION"
(cd "$WORK" && npm pack --silent "nhsuk-frontend@$NHSUK_FRONTEND_VERSION" "htmx.org@$HTMX_VERSION" >/dev/null)
NHSUK_TGZ="$WORK/nhsuk-frontend-$NHSUK_FRONTEND_VERSION.tgz"
HTMX_TGZ="$WORK/htmx.org-$HTMX_VERSION.tgz"
mkdir -p "$WORK/nhsuk" "$WORK/htmx"
tar -xzf "$NHSUK_TGZ" -C "$WORK/nhsuk"
tar -xzf "$HTMX_TGZ" -C "$WORK/htmx"

# Refuse a package whose own version disagrees with the pin (a registry or cache surprise).
check_version() {
  local got
  got="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$1/package/package.json" | head -n1)"
  [[ "$got" == "$2" ]] || { echo "vendor-frontend: expected version $2 in $1, got '$got'" >&2; exit 1; }
}
check_version "$WORK/nhsuk" "$NHSUK_FRONTEND_VERSION"
check_version "$WORK/htmx" "$HTMX_VERSION"

NHSUK_DIST="$WORK/nhsuk/package/dist/nhsuk"
HTMX_DIST="$WORK/htmx/package/dist"

rm -rf "$VENDOR/nhsuk-frontend" "$VENDOR/htmx"
mkdir -p "$VENDOR/nhsuk-frontend" "$VENDOR/htmx"

sed -e 's#url(/assets/#url(assets/#g' -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' -e 's#@font-face{[^}]*}##g' \
  "$NHSUK_DIST/nhsuk-frontend.min.css" >"$VENDOR/nhsuk-frontend/nhsuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=[^ ]*$##' \
  "$NHSUK_DIST/nhsuk-frontend.min.js" >"$VENDOR/nhsuk-frontend/nhsuk-frontend.min.js"
cp -R "$NHSUK_DIST/assets" "$VENDOR/nhsuk-frontend/assets"
cp "$HTMX_DIST/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
cp "$WORK/nhsuk/package/LICENSE"* "$VENDOR/nhsuk-frontend/LICENSE.txt" 2>/dev/null || true
cp "$WORK/htmx/package/LICENSE"* "$VENDOR/htmx/LICENSE.txt" 2>/dev/null || true

if grep -q 'url(/assets/' "$VENDOR/nhsuk-frontend/nhsuk-frontend.min.css"; then
  echo "vendor-frontend: root-relative asset URLs left in the stylesheet" >&2
  exit 1
fi

sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "# Written by scripts/vendor-frontend.sh; do not edit by hand. Re-run the script to update."
  echo "nhsuk-frontend $NHSUK_FRONTEND_VERSION (npm), for nhsuk-frontend-jinja 0.10.2"
  echo "  tarball sha256 $(sha "$NHSUK_TGZ")"
  echo "  upstream dist/nhsuk/nhsuk-frontend.min.css sha256 $(sha "$NHSUK_DIST/nhsuk-frontend.min.css")"
  echo "  upstream dist/nhsuk/nhsuk-frontend.min.js sha256 $(sha "$NHSUK_DIST/nhsuk-frontend.min.js")"
  echo "  edits: stylesheet url(/assets/ -> url(assets/; sourceMappingURL comments removed; @font-face rules removed"
  echo "htmx.org $HTMX_VERSION (npm)"
  echo "  tarball sha256 $(sha "$HTMX_TGZ")"
  echo "  upstream dist/htmx.min.js sha256 $(sha "$HTMX_DIST/htmx.min.js")"
  echo
  echo "# Vendored files (sha256, path under static/vendor/)"
  (cd "$VENDOR" && find nhsuk-frontend htmx -type f ! -name VERSIONS.txt | LC_ALL=C sort | while read -r f; do
    echo "$(sha "$f")  $f"
  done)
} >"$VENDOR/VERSIONS.txt"

echo "vendor-frontend: wrote $(find "$VENDOR" -type f | wc -l) files under ${VENDOR#"$ROOT"/}"
