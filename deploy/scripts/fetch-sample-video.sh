#!/usr/bin/env bash
# Makes Debian's sample street footage (vtest.avi, 768x576, 795 frames, from the
# opencv-doc package) available and prints its path. Uses the installed package when
# present; otherwise downloads the .deb with `apt-get download` and extracts only
# the video into .cache/sample-data/ of the checkout. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
system=/usr/share/doc/opencv-doc/examples/data/vtest.avi
cached="$root/.cache/sample-data/vtest.avi"

if [ -s "$system" ]; then echo "$system"; exit 0; fi
if [ -s "$cached" ]; then echo "$cached"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq opencv-doc >/dev/null 2>&1) || {
  apt-get update -qq >/dev/null && (cd "$work" && apt-get download -qq opencv-doc >/dev/null)
} || { echo "fetch-sample-video: apt-get download opencv-doc failed" >&2; exit 1; }
dpkg -x "$work"/opencv-doc_*.deb "$work/x"
src="$work/x$system"
[ -s "$src" ] || src="$src.gz"
mkdir -p "$(dirname "$cached")"
case "$src" in
  *.gz) gunzip -c "$src" >"$cached.tmp" ;;
  *) cp "$src" "$cached.tmp" ;;
esac
mv "$cached.tmp" "$cached"
echo "$cached"
