#!/usr/bin/env python3
"""Per window: EdgeSeg's ONNX Runtime engines against the PyTorch network, in one run.

    /usr/bin/python3 tools/bench/torch_window.py [--weights W.npz] [--model PKG] [--size 128] [--windows 3]
                                                 [--threads 2] [--rounds 2]

The PyTorch side is tools/vista3d/network.py (MONAI 1.4.0's vista3d132 restated with its exact state-dict keys;
check_vectors.py pins it bit-exact to MONAI's vectors), the EdgeSeg side `./edgeseg benchmark --model PKG` on the
package exported from the same weights.  Both on --threads CPU threads, random windows of --size^3, alternating
--rounds times.  Per window: the encoder; the automatic call for the 117 "everything" classes (PyTorch: auto
decoder + class head, as MONAI runs it; EdgeSeg: auto features + scoring the classes on that window); the point
head with one object of 3 clicks.  Prints the medians and the ratios.  Exit 0, or 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
sys.path.insert(0, os.path.join(ROOT, "tools", "vista3d"))
sys.path.insert(0, HERE)
import bench_package  # noqa: E402


def torch_times(a, ids):
    import numpy as np
    import torch
    from network import vista3d132
    torch.set_num_threads(a.threads)
    w = np.load(a.weights)
    state = {k: torch.from_numpy(w[k]) for k in w.files}
    net = vista3d132(encoder_embed_dim=state["image_encoder.encoder.conv_init.weight"].shape[0])
    net.load_state_dict(state, strict=True)
    net.eval()
    s = a.size
    coords = torch.tensor([[[s / 2, s / 2, s / 2], [s / 3, s / 2, s / 2], [s / 2, s / 4, s / 3]]])
    labels = torch.tensor([[1, 1, 0]])
    cv = torch.tensor(ids).reshape(-1, 1)
    out = {"encoder": [], "auto": [], "point": []}
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for k in range(a.windows + 1):                      # the first window warms up and is not counted
            x = torch.rand((1, 1, s, s, s), generator=g)
            t = time.perf_counter()
            skips = net.image_encoder.encode(x)
            t_enc = time.perf_counter() - t
            t = time.perf_counter()
            net.class_head(net.image_encoder.decode_auto(skips), cv)
            t_auto = time.perf_counter() - t
            t = time.perf_counter()
            net.point_head(net.image_encoder.decode_point(skips), coords, labels, class_vector=torch.tensor([[5]]))
            t_point = time.perf_counter() - t
            if k > 0:
                out["encoder"].append(t_enc)
                out["auto"].append(t_auto)
                out["point"].append(t_point)
    return {k: statistics.mean(v) for k, v in out.items()}


def edgeseg_times(a, model):
    r = subprocess.run([os.path.join(ROOT, "edgeseg"), "benchmark", "--model", model, "--threads", str(a.threads),
                        "--windows", str(a.windows), "--size", str(a.size)], capture_output=True, text=True, cwd=ROOT)
    m = re.search(r"mean s/window: encoder ([\d.]+)\s+auto_features ([\d.]+)\s+score (\d+) classes ([\d.]+)\s+"
                  r"point_head ([\d.]+)", r.stdout)
    if r.returncode != 0 or not m:
        sys.stderr.write(r.stdout[-2000:] + r.stderr[-2000:])
        raise RuntimeError(f"./edgeseg benchmark failed (exit {r.returncode})")
    return {"encoder": float(m.group(1)), "auto": float(m.group(2)) + float(m.group(4)), "point": float(m.group(5))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=os.path.join(SHARED, "vectors", "net-w8-a", "weights.npz"))
    ap.add_argument("--model", help="EdgeSeg package from the same weights (default: packages/net-w8-a-*)")
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args(argv)
    if a.size % 16 or a.size <= 0 or not os.path.isfile(a.weights):
        print("error: --size must be a positive multiple of 16 and --weights an existing .npz", file=sys.stderr)
        return 2
    try:
        model, ids = bench_package.resolve(a.model)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"window {a.size}^3, {len(ids)} classes, {a.threads} threads, {a.windows} windows per side per round, "
          f"{a.rounds} rounds; model {model}", flush=True)
    runs = {"torch": [], "edgeseg": []}
    for r in range(1, a.rounds + 1):
        for who in ("torch", "edgeseg"):
            t = torch_times(a, ids) if who == "torch" else edgeseg_times(a, model)
            runs[who].append(t)
            print(f"round {r}  {who:8s} encoder {t['encoder']:.3f} s  auto ({len(ids)} classes) {t['auto']:.3f} s  "
                  f"point head {t['point']:.3f} s", flush=True)
    for part in ("encoder", "auto", "point"):
        pt = statistics.median(x[part] for x in runs["torch"])
        es = statistics.median(x[part] for x in runs["edgeseg"])
        print(f"median   {part:8s} PyTorch {pt:.3f} s  EdgeSeg {es:.3f} s  ratio {pt / es:.2f}x")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(3)
