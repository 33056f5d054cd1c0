#!/usr/bin/python3
"""check_layers.py ROOT: does the source tree at ROOT keep koning's architecture
(docs/architecture.md)? Exit 0 if so; 1 with one line per violation otherwise.

The rules, on the product code (include/, models/, sim/):
  - only sim/kernel/ includes a SimGrid header (<simgrid/...>, <xbt/...>);
  - only sim/files/ includes hdf5.h, hdf5_hl.h, H5*.h or yaml.h;
  - include/ and models/ include nothing from sim/;
  - a file in sim/<layer>/ includes project headers only from its own layer, the layers
    below it, models/ and include/ (cli -> views -> study -> kernel, files -> models;
    analysis -> models, and study, views and cli may use analysis).
Tests and benchmarks may use what the layer they exercise uses, so they are not checked.
"""
import os
import re
import sys

LAYERS = {  # layer -> the layers it may include from (besides itself, models, include)
    "kernel": set(),
    "files": set(),
    "analysis": set(),
    "study": {"kernel", "files", "analysis"},
    "views": {"study", "kernel", "files", "analysis"},
    "cli": {"views", "study", "kernel", "files", "analysis"},
}
KERNEL = re.compile(r"^\s*#\s*include\s*[<\"](simgrid|xbt)/")
FORMATS = re.compile(r"^\s*#\s*include\s*[<\"](hdf5\.h|hdf5_hl\.h|H5[^>\"]*\.h|yaml\.h)[>\"]")
LOCAL = re.compile(r"^\s*#\s*include\s*\"([^\"]+)\"")


def headers(root, sub):
    d = os.path.join(root, sub)
    return {f for f in os.listdir(d) if f.endswith(".h")} if os.path.isdir(d) else set()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    owner = {}  # header name -> the layer (or "models") that holds it
    for layer in LAYERS:
        for h in headers(root, os.path.join("sim", layer)):
            owner[h] = layer
    for h in headers(root, "models"):
        owner[h] = "models"
    bad = []
    for top in ("include", "models", "sim"):
        for d, _, files in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(d, root)
            parts = rel_dir.split(os.sep)
            layer = parts[1] if parts[0] == "sim" and len(parts) > 1 else parts[0]
            for f in files:
                if not f.endswith((".c", ".h", ".cpp")):
                    continue
                path = os.path.join(rel_dir, f)
                with open(os.path.join(d, f), errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        where = f"{path}:{n}: "
                        if KERNEL.match(line) and layer != "kernel":
                            bad.append(where + "a SimGrid header outside sim/kernel: " + line.strip())
                        if FORMATS.match(line) and layer != "files":
                            bad.append(where + "an HDF5 or YAML header outside sim/files: " + line.strip())
                        m = LOCAL.match(line)
                        if not m or m.group(1).startswith("koning/"):
                            continue
                        name = os.path.basename(m.group(1))
                        src = owner.get(name)
                        if src is None or src == layer:
                            continue
                        if layer in ("include", "models"):
                            if src != "models" or layer == "include":
                                bad.append(where + f"{top}/ includes {name} from sim/{src}")
                        elif src != "models" and src not in LAYERS.get(layer, set()):
                            bad.append(where + f"sim/{layer} includes {name} from sim/{src} "
                                       "(arrows point down only)")
    for b in bad:
        print(b)
    if not bad:
        print(f"layers kept: {root}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
