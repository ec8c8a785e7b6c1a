#!/usr/bin/env python3
"""Make a training checkpoint the shipped default model: export it as a package into models/<name>/ (replacing the
previous one atomically), point models/DEFAULT at it, and optionally score it on OpenKBP val through ./edgeseg.

    /usr/bin/python3 tools/vista3d/ship.py --from checkpoints/hn-w8/best.pt [--roi 128 128 96] [--click-roi 96 96 64]
                                           [--evaluate]

The package carries the head-and-neck class table (openkbp_classes.json), the training spacing, the chosen window
and train.py's schedule record, so `train.py --resume-from models/<name>` continues where this checkpoint stopped.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PY = sys.executable


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="ckpt", required=True, help="train.py checkpoint (best.pt or last.pt)")
    ap.add_argument("--name", default="vista3d-w8-openkbp-hn")
    ap.add_argument("--spacing", type=float, nargs=3, default=[4.0, 4.0, 2.5])
    ap.add_argument("--roi", type=int, nargs=3, default=[128, 128, 96])
    ap.add_argument("--click-roi", type=int, nargs=3, default=[96, 96, 64],
                    help="click window of the product profile (window.point_window.roi; default: the training crop; "
                         "docs/fidelity.md, 'Click windows'); the parity profile always uses --roi")
    ap.add_argument("--models", default=os.path.join(ROOT, "models"))
    ap.add_argument("--evaluate", action="store_true", help="then run evaluate.py (auto Dice on the 18 val patients)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    if not os.path.isfile(a.ckpt):
        print(f"error: no checkpoint {a.ckpt}", file=sys.stderr)
        return 2
    os.makedirs(a.models, exist_ok=True)
    out = os.path.join(a.models, a.name)
    import torch
    ck = torch.load(a.ckpt, map_location="cpu")   # our own checkpoint: model, state, args (not weights-only)
    with tempfile.TemporaryDirectory(prefix="edgeseg-ship-") as work:   # weights + record for export.py
        weights = os.path.join(work, "weights.pt")
        torch.save(ck["model"], weights)
        record = os.path.join(work, "training.json")
        with open(record, "w") as f:
            args = {k: v for k, v in (ck.get("args") or {}).items() if k not in ("data", "classes", "out")}
            json.dump({"tool": "tools/vista3d/train.py", "checkpoint": os.path.basename(a.ckpt),
                       "state": ck["state"], "args": args}, f)
        cmd = [PY, os.path.join(HERE, "export.py"), "--weights", weights, "--training", record, "--width", "8",
               "--out", out, "--force",
               "--name", a.name, "--classes", os.path.join(HERE, "openkbp_classes.json"),
               "--preprocessing", json.dumps({"spacing_mm": a.spacing}), "--window", json.dumps({"roi": a.roi, "point_window": {"roi": a.click_roi}}),
               "--description", "VISTA3D vista3d132 width 8 trained on OpenKBP head-and-neck (80 patients): 7 organs "
                                "at risk, clicks, zero-shot; see docs/model-card.md. Not for clinical use.",
               "--threads", str(a.threads)]
        print("$ " + " ".join(cmd), flush=True)
        r = subprocess.run(cmd)
        if r.returncode != 0:
            return r.returncode
    pointer = os.path.join(a.models, "DEFAULT")
    fd, tmp = tempfile.mkstemp(prefix=".DEFAULT.", dir=a.models)
    with os.fdopen(fd, "w") as f:
        f.write(a.name + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, pointer)
    print(f"default {pointer} -> {a.name}")
    if a.evaluate:
        cmd = [PY, os.path.join(HERE, "evaluate.py"), "--model", out, "--clicks", "0", "--threads", str(a.threads)]
        print("$ " + " ".join(cmd), flush=True)
        return subprocess.run(cmd).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
