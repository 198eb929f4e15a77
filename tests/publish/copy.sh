#!/bin/sh
# Media files reach the site byte for byte whether copy_file_range works,
# is missing or refuses (EXDEV, ENOSYS, EINVAL, EOPNOTSUPP: read and write
# take over, also after a first partial copy), and a real error (EIO) fails
# the build with output-unwritable and leaves the previous site as it was.
# Built with --no-cache: the build cache would link a media file equal to
# the one in the site in place instead of copying it.
# usage: copy.sh FOLIO SHIM PROJECT
set -eu
folio=$1 shim=$2 project=$3
# Under AddressSanitizer the shim is preloaded ahead of its runtime: fine
# for a shim that only wraps copy_file_range.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$project" "$work/p"
m="$work/p/content/en-us/media"
: > "$m/empty.bin"
printf x > "$m/one.bin"
head -c 70001 /dev/urandom > "$m/big.bin"      # more than one 64 KiB read
head -c 300000 /dev/urandom > "$m/bigger.bin"
check() { # the site has every media file, identical
  for f in "$m"/*; do
    cmp "$f" "$work/site/en-us/media/$(basename "$f")" || { echo "FAIL ($1): $(basename "$f") differs"; exit 1; }
  done
}
"$folio" build -q --no-cache -C "$work/p" -o "$work/site"
check "copy_file_range"
for e in EXDEV ENOSYS EINVAL EOPNOTSUPP; do
  rm -rf "$work/site"
  FOLIO_TEST_COPY_ERRNO=$e LD_PRELOAD=$shim "$folio" build -q --no-cache -C "$work/p" -o "$work/site"
  check "$e"
  rm -rf "$work/site"
  FOLIO_TEST_COPY_FIRST=1000 FOLIO_TEST_COPY_ERRNO=$e LD_PRELOAD=$shim "$folio" build -q --no-cache -C "$work/p" -o "$work/site"
  check "$e after 1000 bytes"
done
# A real error: the build fails, says so, and the previous site stays.
echo previous > "$work/site/marker"
if FOLIO_TEST_COPY_ERRNO=EIO LD_PRELOAD=$shim "$folio" build -q --no-cache -C "$work/p" -o "$work/site" 2>"$work/err"; then
  echo "FAIL: the build succeeded although copying failed"; exit 1
fi
grep -q "output-unwritable" "$work/err" || { echo "FAIL: no output-unwritable:"; cat "$work/err"; exit 1; }
[ "$(cat "$work/site/marker")" = previous ] || { echo "FAIL: the previous site changed"; exit 1; }
echo "media copied identically with copy_file_range, after EXDEV, ENOSYS, EINVAL, EOPNOTSUPP; EIO fails the build"
