#!/usr/bin/env bash
# cli_mechanisms.sh - every lever has a price (docs/model.md): a minutes cap moves work
# into repeat contacts, banned customers' talk costs acquisition, acting on root causes
# lowers complaints and ignoring them does not, priority makes the others wait, and the
# rude customer's advantage exists under customer-always-right and not under
# investigate-first; each over replications with a paired 95 % interval
# (tests/python/mechanisms.py).
source "$(dirname "$0")/lib.sh" "$@"
if /usr/bin/python3 "$SRC/tests/python/mechanisms.py" "$KONING" "$SRC" "$TMP"; then
  ok "every mechanism shows its price"
else
  bad "a mechanism did not show"
fi
finish
