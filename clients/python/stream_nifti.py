"""Streams a NIfTI CT to an EdgeSeg server slice by slice (file axis 2 = slices, as `./edgeseg stream` does), then
clicks, undoes and redoes; writes the final mask and prints a JSON summary. Used by the Java test
PythonClientTest; also a worked example of the Python client.

  python3 clients/python/stream_nifti.py --target 127.0.0.1:50051 --descriptors DESC --ct CT.nii.gz \
      --classes liver,spleen --out mask.u8 [--click-class liver]
"""
import argparse
import json
import sys
import threading

import nibabel as nib
import numpy as np

from edgeseg_client import EdgeSegClient, EdgeSegError, decode_rle


def series(path):
    img = nib.load(path)
    a = img.affine
    vol = np.asarray(img.dataobj, dtype=np.float32)            # [i, j, k] = [column, row, slice]
    col_spacing, row_spacing = np.linalg.norm(a[:3, 0]), np.linalg.norm(a[:3, 1])
    flip = np.array([-1.0, -1.0, 1.0])                         # NIfTI RAS -> DICOM LPS
    row_dir = flip * a[:3, 0] / col_spacing
    col_dir = flip * a[:3, 1] / row_spacing
    normal = np.cross(row_dir, col_dir)
    step = float(np.dot(flip * a[:3, 2], normal))
    n = vol.shape[2]

    def position(k):
        return flip * (a[:3, :3] @ np.array([0.0, 0.0, k]) + a[:3, 3])
    header = dict(expected_slices=n, rows=vol.shape[1], cols=vol.shape[0], row_spacing_mm=row_spacing,
                  col_spacing_mm=col_spacing, row_direction=list(row_dir + 0.0), col_direction=list(col_dir + 0.0),
                  rescale_slope=1.0, rescale_intercept=0.0, first_slice_position=list(position(0) + 0.0),
                  slice_step_mm=step)
    slices = [dict(instance_number=k + 1, image_position=position(k) + 0.0,
                   pixels=np.ascontiguousarray(vol[:, :, k].T)) for k in range(n)]
    return header, slices, step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--descriptors", required=True)
    ap.add_argument("--ct", required=True)
    ap.add_argument("--classes", default="")
    ap.add_argument("--out", required=True, help="final mask, uint8 [slices, rows, cols] sorted along the normal")
    ap.add_argument("--click-class", default=None)
    ap.add_argument("--hold-last", action="store_true",
                    help="send the last slice only after a first slab mask came (shows masks during acquisition)")
    a = ap.parse_args()
    header, slices, step = series(a.ct)
    if a.classes:
        header["auto_classes"] = a.classes.split(",")
    client = EdgeSegClient(a.target, a.descriptors)
    summary = {"slabs": [], "accepted": 0, "errors": []}
    study, final = None, None
    got_slab = threading.Event()

    def send():
        for s in slices[:-1]:
            yield s
        if a.hold_last:
            got_slab.wait(300)
        yield slices[-1]
    for kind, payload in client.acquire(header, send()):
        if kind == "opened":
            study = payload
        elif kind == "accepted":
            summary["accepted"] += 1
        elif kind == "slab":
            summary["slabs"].append([payload.first_slice, payload.slices, summary["accepted"]])
            got_slab.set()
        elif kind == "slice_error":
            summary["errors"].append(payload.reason)
        elif kind == "final":
            final = decode_rle(payload.mask)
            summary["classes"] = {int(k): v for k, v in payload.class_names.items()}
    final.tofile(a.out)
    summary["shape"] = list(final.shape)
    if a.click_class:
        idx = np.argwhere(final > 0)
        s, r, c = (idx[len(idx) // 2] if len(idx) else np.array(final.shape) // 2).tolist()
        d = client.click(study, a.click_class, [(s, r, c, True)])
        summary["click_changed"] = d.changed
        after = client.mask(study)
        client.undo(study)
        summary["undo_restores"] = bool((client.mask(study) == final).all())
        client.redo(study)
        summary["redo_restores"] = bool((client.mask(study) == after).all())
        try:
            client.redo(study)
            summary["second_redo"] = "accepted"
        except EdgeSegError as e:
            summary["second_redo"] = e.code + " " + e.reason
    client.close_study(study)
    client.close()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
