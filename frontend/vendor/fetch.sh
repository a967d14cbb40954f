#!/usr/bin/env bash
# Re-fetch the pinned third-party files in this folder from the npm registry.
#
#   bash frontend/vendor/fetch.sh          fetch and unpack into frontend/vendor/
#   bash frontend/vendor/fetch.sh --check  fetch into a temporary folder and compare
#
# Each package is downloaded with `npm pack NAME@VERSION` (the registry's own tarball,
# checked by npm against the registry's integrity hash) and only the files the browser
# needs are copied out. Bumping a version: change it below, run this, update README.md.
set -euo pipefail

UPLOT_VERSION=1.6.32
KATEX_VERSION=0.19.1
D3_ARRAY_VERSION=3.2.4
D3_CONTOUR_VERSION=4.0.2

here="$(cd "$(dirname "$0")" && pwd)"
check=0
if [[ "${1:-}" == "--check" ]]; then check=1; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dest="$here"
if (( check )); then dest="$work/out"; mkdir -p "$dest"; fi

unpack() {  # unpack NAME VERSION → $work/NAME/package
  local name="$1" version="$2"
  mkdir -p "$work/$name"
  (cd "$work/$name" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
}

unpack uplot "$UPLOT_VERSION"
unpack katex "$KATEX_VERSION"
unpack d3-array "$D3_ARRAY_VERSION"
unpack d3-contour "$D3_CONTOUR_VERSION"

# uPlot: the ES module build, its stylesheet and licence, and the authors' type declarations
# under the name the type-checker looks for beside uPlot.esm.js (not served: only for tsc).
src="$work/uplot/package"
rm -rf "$dest/uplot" && mkdir -p "$dest/uplot"
cp "$src/dist/uPlot.esm.js" "$src/dist/uPlot.min.css" "$src/LICENSE" "$dest/uplot/"
cp "$src/dist/uPlot.d.ts" "$dest/uplot/uPlot.esm.d.ts"

# KaTeX: the ES module build, its stylesheet, the woff2 fonts (every browser that runs ES
# modules reads woff2, so the stylesheet's woff/ttf fallbacks are never requested) and licence.
src="$work/katex/package"
rm -rf "$dest/katex" && mkdir -p "$dest/katex/fonts"
cp "$src/dist/katex.mjs" "$src/dist/katex.min.css" "$src/LICENSE" "$dest/katex/"
cp "$src/types/katex.d.ts" "$dest/katex/katex.d.mts"  # the authors' types, for tsc beside katex.mjs
cp "$src"/dist/fonts/*.woff2 "$dest/katex/fonts/"

# d3-array and d3-contour: the UMD builds (no ES module build is published); imported as modules
# for their side effect, they set globalThis.d3 (d3-contour reads d3-array from it), and licences.
for pkg in d3-array d3-contour; do
  src="$work/$pkg/package"
  rm -rf "$dest/$pkg" && mkdir -p "$dest/$pkg"
  cp "$src/dist/$pkg.js" "$src/LICENSE" "$dest/$pkg/"
done

if (( check )); then
  for pkg in uplot katex d3-array d3-contour; do
    diff -r "$dest/$pkg" "$here/$pkg"
  done
  echo "vendor files match uplot@$UPLOT_VERSION, katex@$KATEX_VERSION," \
    "d3-array@$D3_ARRAY_VERSION and d3-contour@$D3_CONTOUR_VERSION"
else
  echo "fetched uplot@$UPLOT_VERSION, katex@$KATEX_VERSION, d3-array@$D3_ARRAY_VERSION and" \
    "d3-contour@$D3_CONTOUR_VERSION into $(basename "$here")/"
fi
