#!/usr/bin/env bash
# The organisation model's emergent stylised facts (a)-(e) and the literature bands,
# over 20 replications of two simulated years with confidence intervals. See
# tests/python/stylised_facts.py and docs/policies.md. About 1.5 minutes on 2 cores.
source "$(dirname "$0")/lib.sh" "$@"
/usr/bin/python3 "$SRC/tests/python/stylised_facts.py" "$KONING" "$SRC" "$TMP/work" \
  && ok "stylised facts" || bad "stylised facts"
finish
