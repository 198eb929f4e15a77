# Sourced by the policy test scripts: a temporary folder $t removed on exit,
# ok/fail that count failures, done_checks for the closing line and status,
# and $py, the python3 to run helpers with.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# done_checks MESSAGE: print MESSAGE when every check passed; exit 1 if not.
done_checks() {
  [ $fails = 0 ] && echo "$1"
  exit $((fails > 0))
}
