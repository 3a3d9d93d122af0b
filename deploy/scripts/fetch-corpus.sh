#!/usr/bin/env bash
# Fetches the real footage and photos of the drift-monitor evaluation corpus from
# Debian packages and prints the folder it is in (.cache/corpus/ of the checkout,
# git-ignored). Idempotent; nothing fetched is committed.
#   opencv-doc      vtest.avi, tree.avi, Megamind.avi, Megamind_bugy.avi, box.mp4,
#                   cup.mp4 and the example photos (street, buildings, a car, ...)
#   python3-skimage scikit-image's sample photos (a motorcycle, ...)
# Only the .debs are downloaded (`apt-get download`) and unpacked with `dpkg -x`;
# nothing is installed. tests/drift_monitor/eval/corpus.py builds the streams.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.cache/corpus"
stamp="$out/.complete"
if [ -f "$stamp" ]; then echo "$out"; exit 0; fi
mkdir -p "$out/debs" "$out/x"
packages=(opencv-doc python3-skimage)
(cd "$out/debs" && apt-get download -qq "${packages[@]}" >/dev/null 2>&1) || {
  apt-get update -qq >/dev/null && (cd "$out/debs" && apt-get download -qq "${packages[@]}" >/dev/null)
} || { echo "fetch-corpus: apt-get download ${packages[*]} failed" >&2; exit 1; }
for deb in "$out"/debs/*.deb; do dpkg -x "$deb" "$out/x"; done
html="$out/x/usr/share/doc/opencv-doc/opencv4/html"
for clip in box cup; do
  [ -f "$html/$clip.mp4.gz" ] && gunzip -c "$html/$clip.mp4.gz" >"$out/$clip.mp4"
done
data="$out/x/usr/share/doc/opencv-doc/examples/data"
for clip in vtest tree Megamind Megamind_bugy; do
  src="$data/$clip.avi"
  [ -s "$src" ] || src="$src.gz"
  case "$src" in *.gz) gunzip -c "$src" >"$out/$clip.avi" ;; *) cp "$src" "$out/$clip.avi" ;; esac
done
rm -rf "$out/debs"
touch "$stamp"
echo "$out"
