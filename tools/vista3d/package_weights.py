"""The network's weights read back from a model package's ONNX files, so that training can resume from the shipped
package alone (the only state that reliably survives between machines is the repository, and the package is in it).

The exporter renames and reshapes some weights: initializers carry the engine module's prefix, Linear weights are
folded into transposed MatMul constants with generated names, and every upsampling ConvTranspose3d becomes 8 parity
Conv3d (export.py, SubPixelUpsample).  So the exporter records, per state-dict key, where its values went
(`initializer_map`, stored in the manifest under export.initializers) and `read_state_dict` undoes it exactly:

    {"key": ["file.onnx", "initializer", "id" | "T"]}          same values, or the 2-D transpose
    {"key": ["file.onnx", [8 parity names], "subpixel"]}       ConvTranspose3d(k3, s2) rebuilt from its parity convs
    {"key": ["file.onnx", "initializer", "rows", r]}           rows r.. of a table the exporter concatenated

A key whose values appear in no graph (a parameter the exported engines never use) is listed as null and keeps the
model's own initial value on read-back.
"""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np

# format 2 cuts the class head into auto_features + class_embedding; format-1 packages (auto_head) still read back
ENGINE_FILES = ("encoder.onnx", "auto_features.onnx", "class_embedding.onnx", "auto_head.onnx", "point_head.onnx")
_TAPS = ([1], [2, 0])  # as export.py: parity r -> transposed-conv taps at input offsets 0, 1


def _initializers(folder):
    import onnx
    from onnx import numpy_helper
    out = {}
    for f in ENGINE_FILES:
        if not os.path.exists(os.path.join(folder, f)):
            continue
        g = onnx.load(os.path.join(folder, f)).graph
        out[f] = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    return out


def _digest(a):
    """Digest of the values alone (reshapes such as [1, C] -> [1, 1, C] keep it)."""
    return hashlib.sha1(np.ascontiguousarray(a, dtype=np.float32).tobytes()).hexdigest()


def _parity_convs(key, named):
    """The 8 parity-conv initializers SubPixelUpsample made of the ConvTranspose3d weight `key`, or None."""
    stem = key[: -len(".weight")].split(".", 1)[1]          # drop the top module (image_encoder / point_head)
    names = []
    for i in range(8):
        hits = [n for n in named if n.endswith(f".{stem}.convs.{i}.weight") or n == f"{stem}.convs.{i}.weight"]
        if len(hits) != 1:
            return None
        names.append(hits[0])
    return names


def _rows_in(w, named):
    """(name, first row) of an initializer whose consecutive rows are exactly `w` [n, C] (embedding tables that the
    exporter concatenated into one constant), or None."""
    for name, arr in named.items():
        if arr.ndim != 2 or arr.shape[1] != w.shape[1] or arr.shape[0] < w.shape[0]:
            continue
        for r in range(arr.shape[0] - w.shape[0] + 1):
            if np.array_equal(arr[r:r + w.shape[0]], w):
                return name, r
    return None


def initializer_map(state_dict, folder):
    """Where each state-dict tensor's values are in the exported ONNX files of `folder` (see module doc)."""
    inits = _initializers(folder)
    by_digest = {}
    for f, named in inits.items():
        for name, arr in named.items():
            by_digest.setdefault(_digest(arr), (f, name))
    out = {}
    for key, t in state_dict.items():
        w = t.detach().cpu().numpy()
        hit = by_digest.get(_digest(w))
        if hit is not None:
            out[key] = [hit[0], hit[1], "id"]
            continue
        out[key] = None
        if w.ndim == 2 and _digest(w.T) in by_digest:
            f, name = by_digest[_digest(w.T)]
            out[key] = [f, name, "T"]
            continue
        for f, named in inits.items():
            convs = _parity_convs(key, named) if w.ndim == 5 and w.shape[2:] == (3, 3, 3) else None
            rows = _rows_in(w, named) if w.ndim == 2 else None
            if convs is not None:
                out[key] = [f, convs, "subpixel"]
                break
            if rows is not None:
                out[key] = [f, rows[0], "rows", rows[1]]
                break
    return out


def _from_subpixel(convs):
    """Inverse of SubPixelUpsample: 8 parity kernels [C_out, C_in, la, lb, lc] -> ConvTranspose3d [C_in, C_out, 3,3,3]."""
    cout, cin = convs[0].shape[:2]
    w = np.zeros((cin, cout, 3, 3, 3), np.float32)
    for k, r in zip(convs, np.ndindex(2, 2, 2)):
        ta, tb, tc = (_TAPS[ri] for ri in r)
        w[np.ix_(range(cin), range(cout), ta, tb, tc)] = k.transpose(1, 0, 2, 3, 4)
    return w


def read_state_dict(folder, model):
    """State dict for `model` (whose keys and shapes it must have) from the package in `folder`; keys the exported
    engines never use keep the model's current values."""
    import torch
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    where = manifest.get("export", {}).get("initializers")
    if not where:
        raise ValueError(f"{folder}: manifest has no export.initializers map (exported before package_weights.py); "
                         "re-export it, or resume from a checkpoint")
    inits = _initializers(folder)
    sd = model.state_dict()
    out = {}
    for key, ref in sd.items():
        loc = where.get(key)
        if loc is None:
            out[key] = ref.clone()
            continue
        f, name, how = loc[:3]
        if how == "subpixel":
            arr = _from_subpixel([inits[f][n] for n in name])
        elif how == "rows":
            arr = inits[f][name][loc[3]:loc[3] + ref.shape[0]]
        elif how == "T":
            arr = inits[f][name].T
        else:
            arr = inits[f][name].reshape(tuple(ref.shape))
        if tuple(arr.shape) != tuple(ref.shape):
            raise ValueError(f"{folder}: {key} has shape {tuple(arr.shape)} in {f}:{name}, expected {tuple(ref.shape)}")
        out[key] = torch.from_numpy(np.array(arr, dtype=np.float32)).to(ref.dtype)
    return out
