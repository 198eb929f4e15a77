#!/bin/sh
# The output folder rule: folio replaces its output folder, so it only
# replaces a folder that is new, empty, or a site it built before (holds
# .folio-site), never the sources, never through a symbolic link. Each case
# asserts the exit code and the exact diagnostics, and that nothing was
# touched when the build was refused.
# usage: output.sh FOLIO BAD_BASE_DIR
set -eu
folio=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
project=$work/p
cp -R "$base/." "$project/"
# (.folio/, where the build cache lives, is the one thing a build may change)
snapshot() {
  (cd "$1" && find . -path ./.folio -prune -o -print | sort &&
    find . -path ./.folio -prune -o -type f -exec cat {} +) | cksum
}
sources=$(snapshot "$project")

# expect CODE WANT_STDERR [folio arguments...]: run folio build -q in the
# project folder and compare the exit code and stderr (paths under $work
# shown as WORK).
expect() {
  want_code=$1 want=$2
  shift 2
  set +e
  (cd "$project" && "$folio" build -q "$@") 2>"$work/stderr"
  code=$?
  set -e
  got=$(sed "s|$work|WORK|g" "$work/stderr")
  if [ "$code" != "$want_code" ] || [ "$got" != "$want" ]; then
    echo "FAIL: folio build $*"
    echo "  exit $code (want $want_code)"
    echo "  got:  $got"
    echo "  want: $want"
    failed=1
  fi
  if [ "$(snapshot "$project")" != "$sources" ]; then
    echo "FAIL: folio build $* changed the project"
    rm -rf "$project" && mkdir -p "$project" && cp -R "$base/." "$project/"
    failed=1
  fi
}

overlap="folio replaces its output folder, so it must not be, contain or lie inside the project folder or its content, locales or templates folders; choose another folder with -o [output-overlaps-sources]"

# The sources: relative, absolute, the project itself, its parent.
expect 2 "content: error: the output folder is the content folder (content); $overlap" -o content
expect 2 "content: error: the output folder is the content folder (content); $overlap" -o content/
expect 2 "WORK/p: error: the output folder is the project folder (.); $overlap" -o "$project"
expect 2 ".: error: the output folder is the project folder (.); $overlap" -o .
expect 2 "..: error: the output folder contains the project folder (.); $overlap" -o ..
expect 2 "/: error: the output folder contains the project folder (.); $overlap" -o /
expect 2 "templates: error: the output folder is the templates folder (templates); $overlap" -o templates
expect 2 "locales/x/..: error: the output folder is the locales folder (locales); $overlap" -o locales/x/..
expect 2 "content/en-us/site: error: the output folder lies inside the content folder (content); $overlap" -o content/en-us/site
expect 2 "templates/new/deep: error: the output folder lies inside the templates folder (templates); $overlap" -o templates/new/deep
test ! -e "$project/templates/new" || { echo "FAIL: templates/new was created"; failed=1; }
# The same through -C from elsewhere.
set +e
"$folio" build -q -C "$project" -o "$project/content" 2>"$work/stderr"
code=$?
set -e
[ "$code" = 2 ] && grep -q "output-overlaps-sources" "$work/stderr" || { echo "FAIL: -C p -o p/content"; cat "$work/stderr"; failed=1; }
# A symbolic link to the content folder is the content folder.
ln -s "$project/content" "$work/content-link"
expect 2 "WORK/content-link: error: the output folder is a symbolic link (to WORK/p/content); folio does not replace links: give the folder itself with -o [output-symlink]" -o "$work/content-link"
rm "$work/content-link"

# A folder that holds anything but an earlier site.
mkdir -p "$work/docs" && echo keep > "$work/docs/notes.txt"
expect 2 "WORK/docs: error: the folder is not empty and holds no site folio built (no .folio-site file); folio replaces its output folder, so give a new or empty folder with -o, or empty this one [output-not-folio-site]" -o "$work/docs"
[ "$(cat "$work/docs/notes.txt")" = keep ] && [ "$(ls -A "$work/docs")" = notes.txt ] || { echo "FAIL: docs/ was changed"; failed=1; }
echo x > "$work/afile"
expect 2 "WORK/afile: error: the output folder is a file, not a folder [output-not-folio-site]" -o "$work/afile"

# New, empty, and an earlier site: built, with the marker.
expect 0 "" -o "$work/new/deep/site"
test -f "$work/new/deep/site/.folio-site" || { echo "FAIL: no .folio-site in a new site"; failed=1; }
mkdir "$work/empty"
expect 0 "" -o "$work/empty"
test -f "$work/empty/en-us/index.html" || { echo "FAIL: empty/ was not built"; failed=1; }
echo stale > "$work/empty/stale.html"
expect 0 "" -o "$work/empty"
test ! -e "$work/empty/stale.html" || { echo "FAIL: the earlier site was not replaced"; failed=1; }

# A symbolic link to an earlier site: refused, link and target untouched.
ln -s "$work/empty" "$work/link"
expect 2 "WORK/link: error: the output folder is a symbolic link (to WORK/empty); folio does not replace links: give the folder itself with -o [output-symlink]" -o "$work/link"
[ "$(readlink "$work/link")" = "$work/empty" ] && test -f "$work/empty/.folio-site" || { echo "FAIL: the link or its target changed"; failed=1; }
ls -A "$work" | grep -q folio-tmp && { echo "FAIL: a temporary folder was left"; failed=1; }

# An output folder that cannot be created is named as given.
expect 2 "WORK/afile/site: error: cannot create the output folder: Not a directory [output-unwritable]" -o "$work/afile/site"

# paths.output may not leave the project, through a link either; -o may.
mkdir "$work/elsewhere"
ln -s "$work/elsewhere" "$project/out"
printf 'paths: {output: out/site}\n' >> "$project/folio.yml"
sources=$(snapshot "$project")
expect 2 "out/site: error: paths.output resolves to WORK/elsewhere/site, outside the project (through a symbolic link); only -o on the command line may name a folder outside the project [output-outside-project]"
test ! -e "$work/elsewhere/site" || { echo "FAIL: wrote through the link"; failed=1; }
expect 0 "" -o "$work/elsewhere/site"

[ $failed = 0 ] && echo "output folder: every case as expected"
exit $failed
