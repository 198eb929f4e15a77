#!/bin/sh
# Role names match ignoring case and normal form in every script, as the
# README promises: Unicode case folding (ß is ss) and NFC (a precomposed Ü
# is U + U+0308), in policy eval (here) and in articles (diag/unicode-names).
# usage: unicode.sh FOLIO
set -u
folio=$1
here=$(cd "$(dirname "$0")" && pwd)
R="$here/rules/good/unicode-names.json"
. "$(dirname "$0")/lib.sh"

# eval ROLE -> CODE FIRST-LINE
eval_role() {
  role=$1 want=$2 first=$3
  "$folio" policy eval --rules "$R" --role "$role" --action customer.services:enable >"$t/out" 2>&1
  code=$?
  if [ "$code" = "$want" ] && [ "$(head -1 "$t/out")" = "$first" ]; then
    ok "eval --role '$role' -> $code"
  else
    fail "eval --role '$role' exited $code"; cat "$t/out"
  fi
}

S=customer.services:enable
eval_role "Prüfer" 0 "allow: pruefer may $S"
eval_role "PRÜFER" 0 "allow: pruefer may $S"
eval_role "prüfer" 0 "allow: pruefer may $S"
eval_role "$(printf 'Pru\314\210fer')" 0 "allow: pruefer may $S"            # U + combining diaeresis
eval_role "$(printf 'PRU\314\210FER')" 0 "allow: pruefer may $S"
eval_role "$(printf 'Pr\303\274fer\302\240')" 0 "allow: pruefer may $S"     # trailing no-break space
eval_role "STRASSENVERWALTER" 1 "deny: strassen-admin may not $S"
eval_role "straßenverwalter" 1 "deny: strassen-admin may not $S"
eval_role "АДМИНИСТРАТОР" 0 "allow: admin-ru may $S"
eval_role "администратор" 0 "allow: admin-ru may $S"
eval_role "Prüferin" 2 "folio policy: unknown role 'Prüferin'; did you mean 'pruefer'?"

done_checks "policy unicode: all checks passed"
