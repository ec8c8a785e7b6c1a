#!/usr/bin/env python3
"""Dice of an EdgeSeg model package on OpenKBP val, measured through the product: every prediction is made by the
Java SDK's command line (`./edgeseg segment`), on the original CT grid, and compared with the original bitmask.

    /usr/bin/python3 tools/vista3d/evaluate.py --model models/NAME [--cases 18] [--clicks 0,1,3] [--click-cases 4]
                                               [--corrective 3] [--ibsi DIR] [--threads 1] [--json out.json]

Modes:
  auto       `segment --model M --input ct --output seg` (everything set = the package's classes); Dice per class
             for every patient in whom the structure was contoured.
  k clicks   point-only, one structure at a time (`--classes NAME --click ...`): click 1 at the interior voxel of the
             largest component of the mask that is farthest from its border (the paper takes the voxel nearest to the
             centroid of the eroded mask; this is the deterministic equivalent that is always inside), each further
             click at the same kind of voxel in the larger of the largest false-negative (+) / false-positive (-)
             components of the previous prediction (§5.3).  One click sequence per structure, Dice recorded after
             each requested count; run on the first --click-cases patients only (each click is a full CLI run).
  --corrective N  after each auto run, N corrective clicks per structure through the product's merge (--prev AUTO):
             each click at the interior point of the largest false-negative/false-positive component (§5.3).
  --ibsi DIR zero-shot: the sarcoma GTVs of ../shared/data/ibsi-sts prompted as 'new:sarcoma' (explicitly unseen, so the
             runtime's zero-shot id) with the same click sequence, first --ibsi-cases patients.
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


def corrective_click(pred, gt):
    """The next click of §5.3: the interior point of the larger of the largest false-negative (+, label 1) and
    false-positive (-, label 0) components; None when the prediction is exact."""
    fn, fp = interior_point(gt & ~pred), interior_point(pred & ~gt)
    if fn is None and fp is None:
        return None
    return (fn[0], 1) if fp is None or (fn is not None and fn[1] >= fp[1]) else (fp[0], 0)


def run_segment(model, ct, out, classes=None, clicks=(), threads=1, prev=None):
    cmd = [os.path.join(ROOT, "edgeseg"), "segment", "--model", model, "--input", ct, "--output", out,
           "--threads", str(threads)]
    if classes:
        cmd += ["--classes", classes]
    if prev:
        cmd += ["--prev", prev]
    for (x, y, z), lab in clicks:
        cmd += ["--click", f"{x},{y},{z},{'+' if lab else '-'}"]
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return time.time() - t0


def click_sequence(model, ct, gt, prompt, label_id, counts, tmp, threads):
    """Point-only clicks on one structure: the first at the interior point of the mask, each next one at the
    interior point of the larger of the largest FN (+) / FP (-) components; Dice after each count in `counts`.
    Stops early (keeping the last Dice) when there is no error left."""
    import nibabel as nib
    first = interior_point(gt)
    if first is None:
        return {}
    clicks = [(first[0], 1)]
    pred = np.zeros_like(gt)
    out = os.path.join(tmp, "pt.nii.gz")
    got = {}
    for n in range(1, max(counts) + 1):
        if n > 1:
            click = corrective_click(pred, gt)
            if click is None:
                break
            clicks.append(click)
        run_segment(model, ct, out, classes=prompt, clicks=clicks, threads=threads)
        seg = np.asarray(nib.load(out).dataobj).astype(np.int32)
        pred = seg == label_id if label_id is not None else seg > 0
        if n in counts:
            got[n] = dice(pred, gt)
    for k in counts:
        if k not in got and got:
            got[k] = got[max(got)]
    return got


def corrective_clicks(model, ct, auto_path, gt, prompt, label_id, n, tmp, threads):
    """Auto mask first, then n corrective clicks through the product's merge (`--prev AUTO --classes NAME --click
    ...`, all clicks so far): each click at the interior point of the larger of the largest false-negative (+) and
    false-positive (-) components of the current mask.  Dice after 0..n clicks (stops early when nothing is wrong)."""
    import nibabel as nib
    pred = np.asarray(nib.load(auto_path).dataobj).astype(np.int32) == label_id
    got = {0: dice(pred, gt)}
    clicks = []
    out = os.path.join(tmp, "corr.nii.gz")
    for k in range(1, n + 1):
        click = corrective_click(pred, gt)
        if click is None:
            break
        clicks.append(click)
        run_segment(model, ct, out, classes=prompt, clicks=clicks, threads=threads, prev=auto_path)
        pred = np.asarray(nib.load(out).dataobj).astype(np.int32) == label_id
        got[k] = dice(pred, gt)
    for k in range(1, n + 1):
        got.setdefault(k, got[max(got)])
    return got


def zero_shot(model, root, counts, threads, tmp):
    """IBSI sarcoma GTVs as an unseen structure: prompt 'new:sarcoma' (an unseen structure -> zero-shot id)."""
    import nibabel as nib
    rows = {}
    for pid in sorted(d for d in os.listdir(root) if d.startswith("STS_")):
        gt = np.asarray(nib.load(os.path.join(root, pid, "gtv.nii.gz")).dataobj) > 0
        got = click_sequence(model, os.path.join(root, pid, "ct.nii.gz"), gt, "new:sarcoma", None, counts, tmp, threads)
        rows[pid] = got
        print(f"{pid} zero-shot sarcoma " + "  ".join(f"{k}: {v:.3f}" for k, v in got.items()), flush=True)
    return rows


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
    ap.add_argument("--ibsi", default=None, help="IBSI sarcoma folder: also zero-shot tumour Dice after the clicks")
    ap.add_argument("--ibsi-cases", type=int, default=3)
    ap.add_argument("--corrective", type=int, default=0,
                    help="after the auto run, N corrective clicks per structure through --prev (merge), all patients")
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
    corrective = {}
    tmp = tempfile.mkdtemp(prefix="edgeseg-eval-")
    for pi, p in enumerate(pats):
        d = os.path.join(a.data, a.split, p["id"])
        ct = os.path.join(d, "ct.nii.gz")
        lab = np.asarray(nib.load(os.path.join(d, "labels.nii.gz")).dataobj).astype(np.int32)
        contoured = [c for c in classes if c["openkbp_name"] in p["contoured"]]
        if 0 in counts:
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
            if a.corrective:
                keep = os.path.join(tmp, "auto-kept.nii.gz")
                os.replace(out, keep)
                for c in contoured:
                    gt = ((lab >> c["openkbp_bit"]) & 1).astype(bool)
                    got = corrective_clicks(model, ct, keep, gt, c["name"], c["id"], a.corrective, tmp, a.threads)
                    corrective.setdefault(c["name"], []).append(got)
                    print(f"{p['id']:7s} correct  {c['name']:13s} "
                          + "  ".join(f"{k}: {dv:.3f}" for k, dv in got.items()), flush=True)
        point_counts = [k for k in counts if k > 0]
        if point_counts and pi < a.click_cases:
            for c in contoured:
                gt = ((lab >> c["openkbp_bit"]) & 1).astype(bool)
                got = click_sequence(model, ct, gt, c["name"], c["id"], point_counts, tmp, a.threads)
                for k, dv in got.items():
                    results[k][c["name"]].append(dv)
                print(f"{p['id']:7s} clicks   {c['name']:13s} "
                      + "  ".join(f"{k}: {dv:.3f}" for k, dv in got.items()), flush=True)
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
    if corrective:
        per = {k: [float(np.nanmean([g[k] for g in rows])) for rows in corrective.values()]
               for k in range(a.corrective + 1)}
        print("\nauto + corrective clicks (mean over structures of the per-structure mean): "
              + ", ".join(f"{k}: {np.mean(v):.3f}" for k, v in per.items())
              + f"; gain after {a.corrective}: {np.mean(per[a.corrective]) - np.mean(per[0]):+.3f}")
    zs = {}
    if a.ibsi:
        pcounts = [k for k in counts if k > 0] or [1, 3, 5]
        zroot = tempfile.mkdtemp(prefix="edgeseg-ibsi-")
        for d in sorted(x for x in os.listdir(a.ibsi) if x.startswith("STS_"))[:a.ibsi_cases]:
            os.symlink(os.path.abspath(os.path.join(a.ibsi, d)), os.path.join(zroot, d))
        zs = zero_shot(model, zroot, pcounts, a.threads, tmp)
        print(f"\nzero-shot sarcoma GTV (IBSI, {len(zs)} patients): "
              + ", ".join(f"{k} click{'s' if k > 1 else ''} {np.mean([r[k] for r in zs.values() if k in r]):.3f}"
                          for k in pcounts))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": model, "split": a.split, "patients": [p["id"] for p in pats],
                       "dice": {str(k): v for k, v in results.items()}, "auto_seconds": times,
                       "zero_shot_ibsi": zs, "corrective": corrective}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
