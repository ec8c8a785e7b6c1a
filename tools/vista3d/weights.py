"""Strict weight loading for the VISTA3D network of network.py.

Accepted inputs: a ``.npz`` with one array per MONAI state_dict key (the vectors' ``weights.npz``), or a PyTorch
``.pt``/``.pth`` file holding a state dict (optionally under ``"state_dict"``/``"model"``, optionally with a DDP
``module.`` prefix on every key).  Research-repo naming (VISTA ``build_vista3d.py``) is converted through one explicit
map (§7): ``...mlp.lin1/lin2`` -> ``...mlp.linear1/linear2`` and 16 known unused tensors are dropped.  Anything else
that does not match the model exactly (missing, unexpected, wrong shape, non-floating) is refused with the keys named.
"""
from __future__ import annotations

import os
import re
import zipfile

import numpy as np
import torch

# research name -> MONAI name (regex on the whole key)
RESEARCH_RENAMES = [
    (re.compile(r"^(point_head\.transformer\.layers\.\d+\.mlp)\.lin1\.(weight|bias)$"), r"\1.linear1.\2"),
    (re.compile(r"^(point_head\.transformer\.layers\.\d+\.mlp)\.lin2\.(weight|bias)$"), r"\1.linear2.\2"),
]
# research tensors that MONAI's vista3d132 does not have and forward() never uses
RESEARCH_UNUSED = [
    re.compile(r"^weight_mapper\.(0|3)\.(weight|bias)$"),
    re.compile(r"^point_head\.output_add_hypernetworks_mlps\.[01]\.layers\.[012]\.(weight|bias)$"),
]


class WeightsError(Exception):
    """A weight file that does not fit the network; the message names the offending keys."""


def read_tensors(path):
    """Read a weight file into {key: float32 tensor} without any renaming."""
    if not os.path.isfile(path):
        raise WeightsError(f"weights file not found: {path}")
    lower = path.lower()
    if lower.endswith(".npz"):
        try:
            with np.load(path, allow_pickle=False) as z:
                return {k: torch.from_numpy(np.array(z[k])) for k in z.files}
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise WeightsError(f"{path}: not a readable .npz of arrays ({e})") from e
    if lower.endswith((".pt", ".pth", ".ckpt")):
        try:
            try:
                obj = torch.load(path, map_location="cpu", weights_only=True)
            except TypeError:  # older torch without weights_only
                obj = torch.load(path, map_location="cpu")
        except Exception as e:  # noqa: BLE001 - torch raises many kinds for a bad file
            raise WeightsError(f"{path}: not a readable PyTorch state dict ({type(e).__name__}: {e})") from e
        for wrapper in ("state_dict", "model"):
            if isinstance(obj, dict) and isinstance(obj.get(wrapper), dict):
                obj = obj[wrapper]
        if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
            raise WeightsError(f"{path}: expected a dict of tensors (a state_dict)")
        keys = list(obj)
        if keys and all(k.startswith("module.") for k in keys):
            obj = {k[len("module."):]: v for k, v in obj.items()}
        return dict(obj)
    raise WeightsError(f"{path}: unsupported weight file type (expected .npz or .pt/.pth)")


def normalise_keys(tensors):
    """Apply the explicit research->MONAI key map. Returns (tensors, notes) where notes describe what was changed."""
    out, renamed, dropped = {}, [], []
    for k, v in tensors.items():
        if any(p.match(k) for p in RESEARCH_UNUSED):
            dropped.append(k)
            continue
        nk = k
        for pat, rep in RESEARCH_RENAMES:
            nk = pat.sub(rep, nk)
        if nk != k:
            renamed.append(f"{k} -> {nk}")
            if nk in tensors:
                raise WeightsError(f"both research key {k} and MONAI key {nk} are present")
        out[nk] = v
    notes = []
    if renamed:
        notes.append(f"renamed {len(renamed)} research keys (mlp.lin1/lin2 -> mlp.linear1/linear2)")
    if dropped:
        notes.append(f"dropped {len(dropped)} unused research tensors: {', '.join(sorted(dropped))}")
    return out, notes


def infer_width(tensors):
    w = tensors.get("image_encoder.encoder.conv_init.weight")
    if w is None:
        raise WeightsError("missing key image_encoder.encoder.conv_init.weight (cannot infer the width)")
    return int(w.shape[0])


def check_against(model, tensors):
    """Raise WeightsError listing every missing / unexpected / mis-shaped / non-float key."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(tensors))
    extra = sorted(set(tensors) - set(expected))
    shaped = sorted(f"{k} {tuple(tensors[k].shape)} (expected {tuple(expected[k].shape)})"
                    for k in set(expected) & set(tensors) if tuple(tensors[k].shape) != tuple(expected[k].shape))
    typed = sorted(f"{k} dtype {tensors[k].dtype}" for k in set(expected) & set(tensors)
                   if not tensors[k].is_floating_point())
    problems = []
    if missing:
        problems.append(f"missing {len(missing)} keys: " + ", ".join(missing))
    if extra:
        problems.append(f"unexpected {len(extra)} keys: " + ", ".join(extra))
    if shaped:
        problems.append(f"mis-shaped {len(shaped)} tensors: " + ", ".join(shaped))
    if typed:
        problems.append(f"non-floating {len(typed)} tensors: " + ", ".join(typed))
    if problems:
        raise WeightsError("weights do not match vista3d132(encoder_embed_dim=%d): %s"
                           % (int(expected["image_encoder.encoder.conv_init.weight"].shape[0]), "; ".join(problems)))


def load_into(model, path):
    """Strictly load ``path`` into ``model``; returns the notes of normalise_keys."""
    tensors, notes = normalise_keys(read_tensors(path))
    check_against(model, tensors)
    model.load_state_dict({k: v.to(torch.float32) for k, v in tensors.items()}, strict=True)
    return notes


def build_model(path=None, width=None, init_seed=None):
    """Build vista3d132 and load ``path`` strictly (width inferred from the file unless given), or initialise it
    from ``init_seed`` (PyTorch default init). Returns (model in eval mode, width, notes)."""
    from network import vista3d132

    notes = []
    if path is not None:
        tensors, notes = normalise_keys(read_tensors(path))
        w = infer_width(tensors)
        if width is not None and width != w:
            raise WeightsError(f"--width {width} but the weights have width {w} (conv_init has {w} filters)")
        model = vista3d132(encoder_embed_dim=w)
        check_against(model, tensors)
        model.load_state_dict({k: v.to(torch.float32) for k, v in tensors.items()}, strict=True)
        width = w
    else:
        width = 48 if width is None else width
        torch.manual_seed(0 if init_seed is None else init_seed)
        model = vista3d132(encoder_embed_dim=width)
        notes.append(f"random initialisation, torch.manual_seed({init_seed}), PyTorch default init")
    model.eval()
    return model, width, notes
