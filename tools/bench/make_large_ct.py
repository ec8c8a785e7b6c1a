#!/usr/bin/env python3
"""Make a scanner-sized CT for benchmarks: a CT from ../shared/data resampled (trilinear) to 512 x 512 x N slices
at 0.8 x 0.8 x 1.5 mm, so the anatomy fills the larger field of view as a real 512 x 512 scan's would.

    /usr/bin/python3 tools/bench/make_large_ct.py [--ct CT.nii.gz] [--slices 300] [--out out/bench/ct-512x512x300.nii.gz]

Benchmark input only (the anatomy is stretched); never commit the result.  int16 HU, written atomically.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ct", default=os.path.join(ROOT, "..", "shared", "data", "totalseg-example", "example_ct.nii.gz"))
    ap.add_argument("--slices", type=int, default=300)
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "bench", "ct-512x512x300.nii.gz"))
    a = ap.parse_args(argv)
    import nibabel as nib
    from scipy.ndimage import zoom
    img = nib.load(a.ct)
    ct = np.asarray(img.dataobj, dtype=np.float32)
    shape = (512, 512, a.slices)
    big = zoom(ct, [s / n for s, n in zip(shape, ct.shape)], order=1, mode="nearest")
    affine = np.array(img.affine, dtype=float)
    for axis, mm in enumerate((0.8, 0.8, 1.5)):
        affine[:3, axis] = affine[:3, axis] / np.linalg.norm(affine[:3, axis]) * mm
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + ".part.nii.gz"
    out = nib.Nifti1Image(np.round(big).astype(np.int16), affine)
    out.header.set_xyzt_units("mm")
    nib.save(out, tmp)
    os.replace(tmp, a.out)
    print(f"{a.out}: {big.shape} at 0.8 x 0.8 x 1.5 mm from {a.ct} {ct.shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
