#!/usr/bin/env python3
"""Dice of an EdgeSeg model package on OpenKBP val, measured through the product: every prediction is made by the
Java SDK's command line (`./edgeseg segment`), on the original CT grid, and compared with the original bitmask.

    /usr/bin/python3 tools/vista3d/evaluate.py --model models [--cases 18] [--clicks 0,1,3] [--click-cases 4]
                                               [--threads 1] [--json out.json]

Modes:
  auto       `segment --model M --input ct --output seg` (everything set = the package's classes); Dice per class
             for every patient in whom the structure was contoured.
  k clicks   point-only, one structure at a time (`--classes NAME --click ...`): click 1 at the interior voxel of the
             largest component of the mask that is farthest from its border (the paper takes the voxel nearest to the
             centroid of the eroded mask; this is the deterministic equivalent that is always inside), each further
             click at the same kind of voxel in the larger of the largest false-negative (+) / false-positive (-)
             components of the previous prediction (§5.3).  Run on the first --click-cases patients only (each click
             count is a full CLI run).
Lines are printed as they come; the summary table is Markdown.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def dice(pred, gt):
    s = int(pred.sum()) + int(gt.sum())
    return 2.0 * int((pred & gt).sum()) / s if s else float("nan")


def interior_point(mask):
    """Voxel of the largest connected component that is farthest from the component's border."""
    from scipy import ndimage
    lab, n = ndimage.label(mask)
    if n == 0:
        return None
    sizes = ndimage.sum(mask, lab, range(1, n + 1))
    comp = lab == (int(np.argmax(sizes)) + 1)
    dist = ndimage.distance_transform_edt(np.pad(comp, 1))[1:-1, 1:-1, 1:-1]
    return tuple(int(v) for v in np.unravel_index(int(np.argmax(dist)), comp.shape)), int(comp.sum())


def run_segment(model, ct, out, classes=None, clicks=(), threads=1):
    cmd = [os.path.join(ROOT, "edgeseg"), "segment", "--model", model, "--input", ct, "--output", out,
           "--threads", str(threads)]
    if classes:
        cmd += ["--classes", classes]
    for (x, y, z), lab in clicks:
        cmd += ["--click", f"{x},{y},{z},{'+' if lab else '-'}"]
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return time.time() - t0


def main(argv=None):
    import nibabel as nib
    ap = argparse.ArgumentParser(description="OpenKBP val Dice through ./edgeseg segment")
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "openkbp"))
    ap.add_argument("--split", default="val")
    ap.add_argument("--cases", type=int, default=0, help="first N patients (0 = all)")
    ap.add_argument("--clicks", default="0", help="comma list of click counts; 0 = auto")
    ap.add_argument("--click-cases", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", help="write all per-case numbers here")
    a = ap.parse_args(argv)
    model = os.path.abspath(a.model)
    with open(os.path.join(model, "manifest.json")) as f:
        classes = [c for c in json.load(f)["classes"] if "openkbp_bit" in c]
    if not classes:
        sys.exit("the package's classes carry no 'openkbp_bit' (not an OpenKBP-trained package)")
    with open(os.path.join(a.data, "patients.json")) as f:
        pats = json.load(f)["splits"][a.split]
    if a.cases:
        pats = pats[:a.cases]
    counts = [int(k) for k in a.clicks.split(",")]
    results = {k: {c["name"]: [] for c in classes} for k in counts}
    times = []
    tmp = tempfile.mkdtemp(prefix="edgeseg-eval-")
    for pi, p in enumerate(pats):
        d = os.path.join(a.data, a.split, p["id"])
        ct = os.path.join(d, "ct.nii.gz")
        lab = np.asarray(nib.load(os.path.join(d, "labels.nii.gz")).dataobj).astype(np.int32)
        contoured = [c for c in classes if c["openkbp_name"] in p["contoured"]]
        for k in counts:
            if k == 0:
                out = os.path.join(tmp, "auto.nii.gz")
                t = run_segment(model, ct, out, threads=a.threads)
                times.append(t)
                seg = np.asarray(nib.load(out).dataobj).astype(np.int32)
                row = []
                for c in contoured:
                    dv = dice(seg == c["id"], ((lab >> c["openkbp_bit"]) & 1).astype(bool))
                    results[0][c["name"]].append(dv)
                    row.append(f"{c['name']} {dv:.3f}")
                print(f"{p['id']:7s} auto     {t:5.1f} s  " + "  ".join(row), flush=True)
                continue
            if pi >= a.click_cases:
                continue
            for c in contoured:
                gt = ((lab >> c["openkbp_bit"]) & 1).astype(bool)
                first = interior_point(gt)
                if first is None:
                    continue
                clicks = [(first[0], 1)]
                pred = np.zeros_like(gt)
                out = os.path.join(tmp, "pt.nii.gz")
                for n in range(1, k + 1):
                    if n > 1:
                        fn, fp = interior_point(gt & ~pred), interior_point(pred & ~gt)
                        if fn is None and fp is None:
                            break
                        if fp is None or (fn is not None and fn[1] >= fp[1]):
                            clicks.append((fn[0], 1))
                        else:
                            clicks.append((fp[0], 0))
                    run_segment(model, ct, out, classes=c["name"], clicks=clicks, threads=a.threads)
                    pred = np.asarray(nib.load(out).dataobj).astype(np.int32) == c["id"]
                dv = dice(pred, gt)
                results[k][c["name"]].append(dv)
                print(f"{p['id']:7s} {k} click{'s' if k > 1 else ' '}  {c['name']:13s} {dv:.3f}", flush=True)
    print()
    print("| structure (id) | " + " | ".join("auto" if k == 0 else f"{k} click{'s' if k > 1 else ''}"
                                             for k in counts) + " |")
    print("|---|" + "---|" * len(counts))
    means = {k: [] for k in counts}
    for c in classes:
        cells = []
        for k in counts:
            v = [x for x in results[k][c["name"]] if not np.isnan(x)]
            if v:
                means[k].append(float(np.mean(v)))
            cells.append(f"{np.mean(v):.3f} (n={len(v)})" if v else "-")
        print(f"| {c['name']} ({c['id']}) | " + " | ".join(cells) + " |")
    print("| **mean** | " + " | ".join(f"**{np.mean(means[k]):.3f}**" if means[k] else "-" for k in counts) + " |")
    if times:
        print(f"\nauto segmentation wall time per CT (JVM start included, --threads {a.threads}): "
              f"median {np.median(times):.1f} s, range {min(times):.1f}-{max(times):.1f} s over {len(times)} CTs")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": model, "split": a.split, "patients": [p["id"] for p in pats],
                       "dice": {str(k): v for k, v in results.items()}, "auto_seconds": times}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
