#!/bin/sh
# The README against the binary: every command `folio --help` lists, every
# `folio policy` subcommand and every option any command's --help prints
# must be named in README.md; and every --long-option README.md names must
# be one some command's --help prints (or one of the few options of other
# tools the README quotes, listed below). usage: readme_options.sh FOLIO README
set -u
folio=$1
readme=$2
fails=0
fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

# Options of other programs the README quotes (ctest, bench scripts).
foreign='--output-on-failure --test-dir --runs'

commands=$("$folio" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "folio --help lists no commands"
subcommands=$("$folio" policy --help | awk '/^usage:/ || /^ +folio policy/ { for (i = 1; i < NF; i++) if ($i == "policy") print $(i + 1) }')
[ -n "$subcommands" ] || fail "folio policy --help lists no subcommands"

helps=$("$folio" --help)
for c in $commands; do
  h=$("$folio" "$c" --help) || fail "folio $c --help exits $?"
  helps="$helps
$h"
  # A command is named in the README as `folio <command>`.
  grep -qE "folio $c([^a-z-]|\$)" "$readme" || fail "README.md does not name the command 'folio $c'"
done
for s in $subcommands; do
  grep -qE "folio policy $s([^a-z-]|\$)" "$readme" ||
    fail "README.md does not name the command 'folio policy $s'"
done

# Options as help prints them: -X or --word, after a blank, bracket, bar,
# comma or parenthesis (so that words such as "read-only" do not count).
opts=$(printf '%s\n' "$helps" | grep -oE '(^|[][ ,|(])--?[a-zA-Z][a-zA-Z0-9-]*' |
  sed -E 's/^[][ ,|(]//' | sort -u)
[ "$(printf '%s\n' "$opts" | grep -c -- '^--')" -ge 10 ] ||
  fail "found too few options in the help texts: $opts"
for o in $opts; do
  grep -qE -- "(^|[^a-zA-Z0-9_-])$o([^a-zA-Z0-9_-]|\$)" "$readme" ||
    fail "README.md does not mention the option $o (printed by a command's --help)"
done

named=$(grep -oE '(^|[^a-zA-Z0-9_-])--[a-zA-Z][a-zA-Z0-9-]*' "$readme" | sed -E 's/^[^-]//' | sort -u)
for o in $named; do
  case " $foreign " in *" $o "*) continue ;; esac
  printf '%s\n' "$opts" | grep -qxF -- "$o" ||
    fail "README.md names the option $o, which no command's --help prints"
done

if [ "$fails" -ne 0 ]; then
  echo "$fails problems"
  exit 1
fi
echo "ok: $(printf '%s\n' "$opts" | wc -l) options, $(echo $commands | wc -w) commands and $(echo $subcommands | wc -w) policy subcommands are in README.md, and it names no other option"
