#!/usr/bin/env bash
# cli_layers.sh - the architecture holds (docs/architecture.md): only sim/kernel includes
# SimGrid, only sim/files includes HDF5 or YAML, models/ and include/ include nothing
# from sim/, and each layer of sim/ includes only from the layers below it (analysis only
# from models/ and include/). The checker is run on the tree, then on copies with one
# wrong include planted, which it must find.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
CHECK="$SRC/tests/python/check_layers.py"

if out=$($PY "$CHECK" "$SRC"); then ok "the tree keeps its layers"; else bad "layer violations:"; echo "$out"; fi

# plant(NAME FILE LINE NEEDLE): a copy of the tree with LINE added to FILE must be refused
# with NEEDLE in the checker's report.
plant() {
  local name=$1 file=$2 line=$3 needle=$4 t="$TMP/$1"
  mkdir -p "$t"
  cp -r "$SRC/include" "$SRC/models" "$SRC/sim" "$t/"
  printf '%s\n' "$line" >>"$t/$file"
  local rep
  if rep=$($PY "$CHECK" "$t"); then bad "$name: not caught"; return; fi
  grep -qF -- "$needle" <<<"$rep" && ok "$name caught: $rep" || bad "$name: report lacks '$needle': $rep"
}
plant simgrid-in-study sim/study/runner.c '#include <simgrid/actor.h>' "SimGrid header outside sim/kernel"
plant xbt-in-views sim/views/verdict.c '#include <xbt/log.h>' "SimGrid header outside sim/kernel"
plant hdf5-in-views sim/views/verdict.c '#include <hdf5.h>' "HDF5 or YAML header outside sim/files"
plant yaml-in-models models/desk.c '#include <yaml.h>' "HDF5 or YAML header outside sim/files"
plant sim-in-models models/org.c '#include "engine.h"' "models/ includes engine.h from sim/kernel"
plant sim-in-include include/koning/rng.h '#include "study.h"' "include/ includes study.h from sim/study"
plant upward-kernel sim/kernel/engine.c '#include "journal.h"' "sim/kernel includes journal.h from sim/study"
plant upward-study sim/study/study.c '#include "verdict.h"' "sim/study includes verdict.h from sim/views"
plant sideways sim/files/h5out.c '#include "engine.h"' "sim/files includes engine.h from sim/kernel"
plant upward-analysis sim/analysis/mser.c '#include "study.h"' "sim/analysis includes study.h from sim/study"
plant files-uses-analysis sim/files/sweep.c '#include "mser.h"' "sim/files includes mser.h from sim/analysis"
plant hdf5-in-analysis sim/analysis/prim.c '#include <hdf5.h>' "HDF5 or YAML header outside sim/files"
finish
