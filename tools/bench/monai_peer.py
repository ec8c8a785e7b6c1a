#!/usr/bin/env python3
"""Peer benchmark: MONAI's own VISTA3D pipeline beside `./edgeseg segment` on the same CT, weights and windows.

    /usr/bin/python3 tools/bench/monai_peer.py --monai MONAI_SRC --ct CT.nii.gz [--weights W.npz] [--model PKG]
                                               [--rounds 2] [--threads 2] [--profile parity|product] [--out DIR]

MONAI_SRC is a MONAI 1.4.0 source tree (the folder that contains the `monai` package), e.g. from
`git -C <MONAI clone> archive 1.4.0 monai | tar -x -C /tmp/monai-1.4.0`; nothing of MONAI is part of EdgeSeg.
--weights is a MONAI-keyed vista3d132 state dict (.npz, default: the vectors' net-w8-a weights) and --model the
EdgeSeg package exported from the same weights (default: the test package the Java tests export from them,
packages/net-w8-a-*). Both sides run the bundle's automatic "everything" call (117 classes), roi 128, overlap 0.25,
constant blending, on --threads CPU threads:

  MONAI   LoadImaged -> EnsureChannelFirstd -> Spacingd(1.5, bilinear) -> CropForegroundd(>0, margin 10)
          -> ScaleIntensityRanged -> Orientationd(RAS) -> sliding_window_inference(VISTA3D, class_vector)
          -> VistaPostTransformd (argmax, background where no logit > 0) -> Invertd(nearest) -> NIfTI
          (the bundle's configs/inference.json, reference §3)
  EdgeSeg ./edgeseg segment --model PKG --profile parity|product (117 classes by default)

Each run is a separate process under /usr/bin/time (wall seconds, peak RSS); the two alternate --rounds times so
that machine noise hits both.  Prints every run, the medians, the ratios, and how many voxels the two label maps
differ in.  Exit 0 when both ran, 2 on bad arguments, 3 when a run failed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_package  # noqa: E402
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
A_MIN, A_MAX = -963.8247715525971, 1053.678477684517


def monai_run(a):
    """One MONAI pipeline run in this process (called as a child with --run-monai)."""
    sys.path.insert(0, a.monai)
    import numpy as np
    import torch
    import nibabel as nib
    torch.set_num_threads(a.threads)
    from monai.apps.vista3d.transforms import VistaPostTransformd
    from monai.inferers import sliding_window_inference
    from monai.networks.nets import vista3d132
    from monai import transforms as T

    pre = T.Compose([
        T.LoadImaged(keys="image", image_only=True, reader="NibabelReader"),
        T.EnsureChannelFirstd(keys="image"),
        T.EnsureTyped(keys="image", track_meta=True),
        T.Spacingd(keys="image", pixdim=[1.5, 1.5, 1.5], mode="bilinear"),
        T.CropForegroundd(keys="image", source_key="image", margin=10, allow_smaller=True),
        T.ScaleIntensityRanged(keys="image", a_min=A_MIN, a_max=A_MAX, b_min=0.0, b_max=1.0, clip=True),
        T.Orientationd(keys="image", axcodes="RAS"),
        T.CastToTyped(keys="image", dtype=torch.float32),
    ])
    weights = np.load(a.weights)
    state = {k: torch.from_numpy(weights[k]) for k in weights.files}
    width = state["image_encoder.encoder.conv_init.weight"].shape[0]
    net = vista3d132(encoder_embed_dim=width)
    net.load_state_dict(state, strict=True)
    net.eval()
    ids = json.loads(a.ids)
    with torch.no_grad():
        data = pre({"image": a.ct})
        img = data["image"]
        logits = sliding_window_inference(img[None], roi_size=(128, 128, 128), sw_batch_size=1, predictor=net,
                                          overlap=0.25, mode="constant", sigma_scale=0.125, padding_mode="constant",
                                          cval=0.0, class_vector=torch.tensor(ids).reshape(-1, 1), transpose=True)
        data["pred"] = logits[0]
        data["label_prompt"] = torch.tensor(ids)
        data = VistaPostTransformd(keys="pred")(data)
        pred = data["pred"]
        pred.applied_operations = list(img.applied_operations)
        data["pred"] = pred
        data = T.Invertd(keys="pred", transform=pre, orig_keys="image", nearest_interp=True)(data)
    out = data["pred"][0].cpu().numpy()
    ref = nib.load(a.ct)
    nib.save(nib.Nifti1Image(np.nan_to_num(out, nan=255).astype(np.uint8), ref.affine, ref.header), a.out_file)
    return 0


def timed(cmd, env=None, cwd=None):
    """(wall s, peak RSS MB) of one child process via /usr/bin/time."""
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as t:
        r = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %M"] + cmd, env=env, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr[-3000:])
            raise RuntimeError(f"{cmd[0]} {cmd[1] if len(cmd) > 1 else ''}: exit {r.returncode}")
        wall, rss_kb = t.read().split()[-2:]
        return float(wall), int(rss_kb) / 1024.0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--monai", help="MONAI 1.4.0 source tree (contains the monai package)")
    ap.add_argument("--ct", default=os.path.join(SHARED, "data", "totalseg-example", "example_ct.nii.gz"))
    ap.add_argument("--weights", default=os.path.join(SHARED, "vectors", "net-w8-a", "weights.npz"))
    ap.add_argument("--model", help="EdgeSeg package from the same weights (default: packages/net-w8-a-*)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--profile", default="parity", choices=["parity", "product"],
                    help="EdgeSeg's profile: parity runs MONAI's window grid (the same computation), product the "
                         "streaming lattice (no foreground crop: more windows, other padding)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "peer"))
    ap.add_argument("--run-monai", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ids", help=argparse.SUPPRESS)
    ap.add_argument("--out-file", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.run_monai:
        return monai_run(a)
    if not a.monai or not os.path.isdir(os.path.join(a.monai, "monai")):
        print("error: --monai must name a MONAI 1.4.0 source tree (a folder with the monai package in it)",
              file=sys.stderr)
        return 2
    for what, path in (("--ct", a.ct), ("--weights", a.weights)):
        if not os.path.isfile(path):
            print(f"error: {what} {path}: no such file", file=sys.stderr)
            return 2
    try:
        model, ids = bench_package.resolve(a.model)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    monai_out = os.path.join(a.out, "monai.nii.gz")
    edgeseg_out = os.path.join(a.out, "edgeseg.nii.gz")
    print(f"CT       {a.ct}\nweights  {a.weights}\nmodel    {model}\nclasses  {len(ids)} (everything), roi 128, "
          f"overlap 0.25, constant blend, {a.threads} threads, {a.rounds} alternating rounds, EdgeSeg profile "
          f"{a.profile}", flush=True)
    runs = {"monai": [], "edgeseg": []}
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
    for r in range(1, a.rounds + 1):
        for who in ("monai", "edgeseg"):
            if who == "monai":
                cmd = [sys.executable, os.path.abspath(__file__), "--run-monai", "--monai", a.monai, "--ct", a.ct,
                       "--weights", a.weights, "--threads", str(a.threads), "--ids", json.dumps(ids),
                       "--out-file", monai_out]
            else:
                cmd = [os.path.join(ROOT, "edgeseg"), "segment", "--input", a.ct, "--output", edgeseg_out,
                       "--model", model, "--threads", str(a.threads), "--profile", a.profile]
            wall, rss = timed(cmd, env=env, cwd=ROOT)
            runs[who].append((wall, rss))
            print(f"round {r}  {who:8s} wall {wall:7.1f} s  peak RSS {rss:7.0f} MB", flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in runs.items()}
    print(f"median   monai {med['monai'][0]:.1f} s / {med['monai'][1]:.0f} MB   edgeseg {med['edgeseg'][0]:.1f} s / "
          f"{med['edgeseg'][1]:.0f} MB")
    print(f"ratio    EdgeSeg is {med['monai'][0] / med['edgeseg'][0]:.2f}x faster, peak RSS "
          f"{med['edgeseg'][1] / med['monai'][1]:.2f}x MONAI's")
    import nibabel as nib
    import numpy as np
    m = np.asarray(nib.load(monai_out).dataobj)
    e = np.asarray(nib.load(edgeseg_out).dataobj)
    if m.shape != e.shape:
        print(f"labels   shapes differ: MONAI {m.shape}, EdgeSeg {e.shape}")
        return 3
    print(f"labels   {int((m != e).sum()):,} of {m.size:,} voxels differ")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(3)
