#!/usr/bin/env python3
"""Check the EdgeSeg PyTorch VISTA3D (network.py) against a reference vector set.

    /usr/bin/python3 tools/vista3d/check_vectors.py <shared>/vectors/net-w8-a [--tol 1e-5] [--threads 2]

Loads DIR/<manifest weights> strictly (width from DIR/manifest.json), runs every network-level call of the manifest
and prints one line per reference output:

    ok   <call> <output> max_rel_err <e> (objects: ...)

with max_rel_err = max|out-ref| / max|ref| over the finite reference values (per object slice for logits, whole
array otherwise; NaN positions and exact -9999 fill values must match).  Pipeline-level outputs (point windows,
merges, label maps) print "skipped (pipeline-level, checked by ./edgeseg check-pipeline)"; of a pipeline set, the
dense sliding-window logits (§4.1) and the click-window logits of calls without class head or prev_mask (§4.2:
point-only, zero-shot) are recomputed with plain Python window loops around the network.
Exit status: 0 all within tolerance, 1 a check failed, 2 bad input (unreadable set, weights refused).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weights as W  # noqa: E402


def rel_errs(out, ref, per_object):
    """Per-object (axis 0) or whole-array max relative errors; (errs, problem) with problem '' if comparable."""
    out, ref = np.asarray(out, np.float64), np.asarray(ref, np.float64)
    if out.shape != ref.shape:
        return [float("inf")], f"shape {out.shape} != reference {ref.shape}"
    if not np.array_equal(np.isnan(out), np.isnan(ref)):
        return [float("inf")], "NaN positions differ"
    fill = ref == -9999.0
    if not np.array_equal(out[fill], ref[fill]):
        return [float("inf")], "-9999 fill values differ"
    pairs = [(out[b], ref[b]) for b in range(ref.shape[0])] if per_object else [(out, ref)]
    errs = []
    for o, r in pairs:
        fin = np.isfinite(r)
        if not fin.any():
            errs.append(0.0)
            continue
        denom = np.abs(r[fin]).max()
        diff = np.abs(o[fin] - r[fin]).max()
        errs.append(float(diff / denom) if denom > 0 else float(diff))
    return errs, ""


def window_starts(size, roi, overlap):
    """MONAI dense sliding-window starts along one (already padded) axis (§4.1 steps 2-4)."""
    step = roi if size == roi else max(1, int(roi * (1 - overlap)))
    k = 1
    while (k - 1) * step + roi < size:
        k += 1
    return [min(i * step, size - roi) for i in range(k)]


def sliding_window_auto(model, image, class_vector, roi, overlap):
    """Constant-blend dense sliding window with constant-0 padding; returns [1, n, S0, S1, S2] (§4.1)."""
    size = image.shape[2:]
    pads = [(max(r - s, 0) // 2, max(r - s, 0) - max(r - s, 0) // 2) for s, r in zip(size, roi)]
    flat = []
    for lo, hi in reversed(pads):
        flat += [lo, hi]
    padded = torch.nn.functional.pad(image, flat, mode="constant", value=0.0)
    psize = padded.shape[2:]
    n = class_vector.shape[0]
    acc = torch.zeros((1, n) + tuple(psize))
    cnt = torch.zeros((1, 1) + tuple(psize))
    starts = [window_starts(int(s), r, overlap) for s, r in zip(psize, roi)]
    for a, b, c in itertools.product(*starts):
        sl = (slice(None), slice(None), slice(a, a + roi[0]), slice(b, b + roi[1]), slice(c, c + roi[2]))
        out = model(padded[sl], class_vector=class_vector, transpose=True)  # [1, n, ...]
        acc[sl] += out
        cnt[sl] += 1.0
    res = acc / cnt
    return res[:, :, pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], pads[2][0]:pads[2][0] + size[2]]


def pad_amounts(size, roi):
    return [(max(r - s, 0) // 2, max(r - s, 0) - max(r - s, 0) // 2) for s, r in zip(size, roi)]


def point_window_bounds(p, padded, roi):
    """MONAI centre-only click window per axis (§4.2 step 2): float comparisons, trunc for the bounds."""
    out = []
    for x, s, r in zip((float(v) for v in p), padded, roi):
        if x - r // 2 < 0:
            lo = 0
        elif x + r // 2 > s:
            lo = s - r
        else:
            lo = int(x) - r // 2
        out.append([lo, lo + r])
    return out


def point_window_logits(model, image, coords, labels, prompt_class, roi):
    """Point-window inference without class and prev_mask (§4.2): one window per click (including -1 clicks),
    strict inside test per window, summed outputs, NaN outside every window. Returns ([1,1,S0,S1,S2], windows)."""
    size = [int(v) for v in image.shape[2:]]
    pads = pad_amounts(size, roi)
    flat = []
    for lo, hi in reversed(pads):
        flat += [lo, hi]
    padded = torch.nn.functional.pad(image, flat, mode="constant", value=0.0)
    psize = [int(v) for v in padded.shape[2:]]
    coords = coords + torch.tensor([lo for lo, _ in pads], dtype=coords.dtype)
    acc = torch.zeros((1, 1) + tuple(psize))
    hit = torch.zeros((1, 1) + tuple(psize))
    windows = [point_window_bounds(p, psize, roi) for p in coords[0]]
    for win in windows:
        starts = torch.tensor([w[0] for w in win], dtype=coords.dtype)
        local = coords - starts
        inside = ((local > 0) & (local < torch.tensor(roi, dtype=coords.dtype))).all(-1)  # start < p < stop
        lab = torch.where(inside, labels, torch.full_like(labels, -1))
        local = torch.where(inside.unsqueeze(-1), local, torch.zeros_like(local))
        cols = (lab != -1).any(0)
        sl = (slice(None), slice(None)) + tuple(slice(a, b) for a, b in win)
        if not bool(cols.any()):
            out = torch.full((1, 1) + tuple(roi), -9999.0)
        else:
            out = model(padded[sl], point_coords=local[:, cols], point_labels=lab[:, cols],
                        prompt_class=prompt_class, transpose=True)
        acc[sl] += out
        hit[sl] = 1.0
    res = acc / hit
    crop = tuple(slice(lo, lo + s) for (lo, _), s in zip(pads, size))
    return res[(slice(None), slice(None)) + crop], windows


def run_call(model, call, load):
    """Returns {output name: array} for the outputs this tool can recompute, or None if pipeline-level."""
    name, ins = call["name"], {k: load(f) for k, f in call["inputs"].items()}
    args = {k: v for k, v in call.get("args", {}).items() if v is not None}
    if name == "encoder":
        p, a = model.image_encoder(ins["x"], with_point=True, with_label=True)
        return {"point_features": p, "auto_features": a}
    if name == "class_head":
        logits, emb = model.class_head(ins["src"], ins["class_vector"])
        return {"logits": logits, "class_embedding": emb}
    if name == "point_head":
        ph, out = model.point_head, ins["out"]
        return {"logits": ph(out, ins["point_coords"], ins["point_labels"], class_vector=ins.get("class_vector")),
                "point_pe": ph.pe_layer.forward_with_coords(ins["point_coords"] + 0.5, tuple(out.shape[-3:])),
                "image_pe": ph.pe_layer.dense_like(ph.feat_downsample(out))}
    if "input_images" in ins:  # a whole-patch VISTA3D.forward call
        img = ins.pop("input_images")
        if "patch_coords" in args or "prev_mask" in args:
            return None
        return {"logits": model(img, **ins, radius=args.get("radius"), transpose=bool(args.get("transpose")))}
    if name == "auto_sw" and "point_coords" not in ins:
        if args.get("mode", "constant") != "constant" or args.get("padding_mode", "constant") != "constant":
            return None
        logits = sliding_window_auto(model, ins["image"], ins["class_vector"], list(args["roi_size"]),
                                     float(args.get("overlap", 0.25)))
        return {"logits": logits}
    if ("point_coords" in ins and "class_vector" not in ins and "prev_mask" not in args
            and "label_prompt_for_merge" not in ins and "roi_size" in args):
        logits, windows = point_window_logits(model, ins["image"], ins["point_coords"], ins["point_labels"],
                                              ins.get("prompt_class"), list(args["roi_size"]))
        want = args.get("windows_hwd_in_padded_space")
        if want is not None and want != windows:
            raise ValueError(f"{name}: click windows {windows} differ from the manifest's {want}")
        return {"logits": logits}
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("set_dir")
    ap.add_argument("--tol", type=float, default=None, help="max relative error (default: manifest tolerance.pytorch)")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the vectors were made with 2)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    try:
        with open(os.path.join(a.set_dir, "manifest.json")) as f:
            m = json.load(f)
        width = int(m["encoder_embed_dim"])
        wpath = os.path.normpath(os.path.join(a.set_dir, m["weights"]))
        model, _, notes = W.build_model(wpath, width=width)
    except (OSError, KeyError, ValueError, W.WeightsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    tol = a.tol if a.tol is not None else float(m.get("tolerance", {}).get("pytorch", 1e-5))
    print(f"set {m.get('set', os.path.basename(a.set_dir))}: vista3d132 width {width}, weights {wpath} (strict)"
          + "".join(f"; {n}" for n in notes))

    def load(f):
        return torch.from_numpy(np.load(os.path.join(a.set_dir, f)))

    worst, failed, checked = 0.0, 0, 0
    for call in m["calls"]:
        problem_all = ""
        try:
            with torch.no_grad():
                got = run_call(model, call, load)
        except (ValueError, RuntimeError) as e:  # e.g. a shape the network refuses, windows that differ
            got, problem_all = {}, f"{type(e).__name__}: {e}"
        for out_name, f in call["outputs"].items():
            label = f"{call['name']:24s} {out_name:16s}"
            if problem_all:
                failed += 1
                print(f"FAIL {label} {problem_all}")
                continue
            if got is None or out_name not in got:
                print(f"skip {label} skipped (pipeline-level, checked by ./edgeseg check-pipeline)")
                continue
            ref = np.load(os.path.join(a.set_dir, f))
            out = got[out_name].detach().numpy()
            per_object = out_name == "logits"
            if per_object and "roi_size" in call.get("args", {}):  # pipeline layout [1, n, ...]: per channel
                out, ref = out[0], ref[0]
            errs, problem = rel_errs(out, ref, per_object)
            bad = bool(problem) or max(errs) > tol
            failed += bad
            checked += 1
            worst = max(worst, max(errs))
            objs = " ".join(f"{e:.2e}" for e in errs)
            print(f"{'FAIL' if bad else 'ok  '} {label} max_rel_err {max(errs):.3e} (objects: {objs}) {problem}".rstrip())
    verdict = "PASS" if failed == 0 else "FAIL"
    print(f"{verdict}: {checked} outputs checked, {failed} above tol {tol:g}, worst max_rel_err {worst:.3e}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
