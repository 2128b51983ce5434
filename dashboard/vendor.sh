#!/usr/bin/env bash
# Fetches the dashboard's third-party modules from the npm registry at the
# pinned versions below and writes them, with their licences, under
# dashboard/assets/vendor/ (and axe-core, a test asset, under
# tests/api/dashboard/). Run it to upgrade a library, then review the diff,
# check the pages in the browser tests and commit; CI only checks the
# committed files against dashboard/vendor.sha256.
set -euo pipefail
cd "$(dirname "$0")/.."

PREACT=11.2.0
HTM=3.1.1
UPLOT=1.6.32
AXE=4.14.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { # name version -> unpacked package directory
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar xzf "$1-$2.tgz" -C "$1")
  echo "$work/$1/package"
}

out=dashboard/assets/vendor
rm -rf "$out" && mkdir -p "$out/preact" "$out/htm" "$out/uplot"

p=$(fetch preact "$PREACT")
cp "$p/dist/preact.mjs" "$p/LICENSE" "$out/preact/"
# The hooks module imports the bare specifier "preact", which a browser
# resolves only through an import map (an inline script, which the
# dashboard's Content-Security-Policy refuses). Point it at the file beside it.
sed 's/from"preact"/from".\/preact.mjs"/g' "$p/hooks/dist/hooks.mjs" > "$out/preact/hooks.mjs"
grep -q 'from"./preact.mjs"' "$out/preact/hooks.mjs"
if grep -q 'from"preact"' "$out/preact/hooks.mjs"; then echo "hooks.mjs still imports preact" >&2; exit 1; fi

h=$(fetch htm "$HTM")
cp "$h/dist/htm.mjs" "$h/LICENSE" "$out/htm/"

u=$(fetch uplot "$UPLOT")
cp "$u/dist/uPlot.esm.js" "$u/dist/uPlot.min.css" "$u/LICENSE" "$out/uplot/"

a=$(fetch axe-core "$AXE")
mkdir -p tests/api/dashboard
cp "$a/axe.min.js" tests/api/dashboard/axe.min.js
cp "$a/LICENSE" tests/api/dashboard/axe-core-LICENSE

cat > "$out/VERSIONS" <<VERSIONS
preact $PREACT (MIT)
htm $HTM (Apache-2.0)
uplot $UPLOT (MIT)
VERSIONS

(find "$out" tests/api/dashboard/axe.min.js tests/api/dashboard/axe-core-LICENSE -type f | LC_ALL=C sort | xargs sha256sum) > dashboard/vendor.sha256
echo "vendored: preact $PREACT, htm $HTM, uplot $UPLOT, axe-core $AXE"
