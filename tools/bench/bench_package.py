"""The EdgeSeg package the benchmarks compare against by default: the test package the Java tests export from the
vectors' net-w8-a weights (packages/net-w8-a-*, newest), and the classes of its "everything" set."""
from __future__ import annotations

import glob
import json
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def resolve(model):
    """(package folder, everything ids) for --model, or the newest packages/net-w8-a-* when it is None.
    Raises ValueError with a message for the user when there is none."""
    if model is None:
        found = sorted(glob.glob(os.path.join(ROOT, "packages", "net-w8-a-*", "manifest.json")), key=os.path.getmtime)
        if not found:
            raise ValueError("no --model and no packages/net-w8-a-* (run the tests once, or export the vectors' "
                             "net-w8-a weights with tools/vista3d/export.py)")
        model = os.path.dirname(found[-1])
    with open(os.path.join(model, "manifest.json")) as f:
        return model, json.load(f)["class_sets"]["everything_ids"]
