#!/usr/bin/env python3
"""Export a VISTA3D (vista3d132) model package for EdgeSeg: manifest.json + encoder.onnx + auto_features.onnx +
class_embedding.onnx + point_head.onnx (format "edgeseg-model/2", see docs/model-package.md).

    /usr/bin/python3 tools/vista3d/export.py (--weights FILE.pt|FILE.npz | --init-seed N) [--width W]
                                             --out DIR [--name NAME] [--description TEXT] [--force]
                                             [--classes TABLE.json] [--preprocessing JSON] [--window JSON]

--classes: a class table in the format of vista3d_classes.json (default: that file, the 132 VISTA3D classes).
--preprocessing / --window: a JSON object (inline text or a file name) merged key by key over the defaults below,
so a package trained at another spacing or window size says so in its manifest.

Engine cut (why: the encoder runs once per window, each decoder only when its branch is asked for):
  encoder    image [1,1,X,Y,Z]                         -> skip0..skip4 (the five encoder levels)
  auto_features   skip0..skip4                          -> features F' [1,C,X,Y,Z]  (auto decoder + post-mapping)
  class_embedding class_ids int64 [B]                   -> embeddings e [B,C]       (class embedding + MLP)
                  class-head logits = e @ F' (reference §2.3: a plain dot product per voxel, no bias)
  point_head skip0..skip4, point_coords f32 [B,N,3], point_labels int64 [B,N], zero_shot int64 [B]
                                                       -> logits [B,1,X,Y,Z]   (point decoder + point head)
X, Y, Z: any multiple of 16 (dynamic); B, N dynamic.  The package is built in a temporary folder next to DIR and
renamed into place; an existing non-empty DIR is refused unless --force.
Exit status: 0 ok, 1 verification failed, 2 bad input (weights refused, DIR exists, ...), 3 internal error.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import package_weights as PW  # noqa: E402
import weights as W  # noqa: E402
from network import LAST_SUPPORTED  # noqa: E402

OPSET = 17
FORMAT = "edgeseg-model/2"
ENGINES = ("encoder", "auto_features", "class_embedding", "point_head")
SKIPS = ["skip0", "skip1", "skip2", "skip3", "skip4"]
DIV = ["", "/2", "/4", "/8", "/16"]

PREPROCESSING = {
    "spacing_mm": [1.5, 1.5, 1.5], "keep_spacing_tolerance_mm": 0.001,
    "image_interpolation": "bilinear", "padding_mode": "border",
    "foreground": {"threshold": 0.0, "margin": 10},
    "intensity": {"a_min": -963.8247715525971, "a_max": 1053.678477684517, "b_min": 0.0, "b_max": 1.0, "clip": True},
    "orientation": "RAS",
}
WINDOW = {
    "roi": [128, 128, 128], "overlap": 0.25, "blend": "constant", "sigma_scale": 0.125,
    "padding": "constant", "cval": 0.0, "point_window": {"center_only": True, "margin": 5},
}


class UserError(Exception):
    """Bad input: reported on stderr, exit status 2."""


# ------------------------------------------------------------------------------------------- upsampling, sub-pixel
# Every upsampling in VISTA3D is ConvTranspose3d(kernel 3, stride 2, padding 1, output_padding 1).  ONNX Runtime's
# CPU ConvTranspose spends most of its time in a generic N-d col2im, so the exported graphs use an equivalent
# sub-pixel form instead.  Per axis, output 2m+r of the transposed conv is
#     r = 0:  x[m] * w[1]                 r = 1:  x[m] * w[2] + x[m+1] * w[0]     (x[n] = 0 past the end)
# so each of the 8 output parities (ra, rb, rc) is a stride-1 Conv3d on the input with kernel 1 (taps [1]) or 2
# (taps [2, 0], input zero-padded by one voxel at the high end) per axis: 27 taps in all, the transposed conv's own
# multiply count, and the same weights (no zero taps, so the package does not grow).  The 8 results are concatenated
# and a reshape + transpose interleaves them into the 2x grid.  Same sums in a different order: results agree to
# float rounding.  Only the exported copy is changed; the PyTorch network and its state dict stay MONAI-exact.
# (A single Conv3d(kernel 2) with 8 * C_out outputs is as fast at width 8 but multiplies 64/27 as much and stores
# zero taps.)
_TAPS = ([1], [2, 0])                                                   # parity r -> taps at input offsets 0, 1


class SubPixelUpsample(nn.Module):
    """Export-time stand-in for ConvTranspose3d(k=3, s=2, p=1, output_padding=1): 8 parity convs + pixel shuffle."""

    def __init__(self, deconv):
        super().__init__()
        w = deconv.weight.detach()                                      # [C_in, C_out, 3, 3, 3]
        cin, cout = w.shape[:2]
        self.convs = nn.ModuleList()
        self.pads = []
        for r in np.ndindex(2, 2, 2):                                   # parity-major channel order of the concat
            ta, tb, tc = (_TAPS[ri] for ri in r)
            k = w[:, :, ta][:, :, :, tb][:, :, :, :, tc].transpose(0, 1)   # [C_out, C_in, len(ta), len(tb), len(tc)]
            conv = nn.Conv3d(cin, cout, kernel_size=tuple(k.shape[2:]), bias=deconv.bias is not None)
            conv.weight = nn.Parameter(k.contiguous())
            if deconv.bias is not None:
                conv.bias = nn.Parameter(deconv.bias.detach().clone())
            self.convs.append(conv)
            self.pads.append((0, r[2], 0, r[1], 0, r[0]))               # F.pad order: last axis first
        self.cout = cout

    def forward(self, x):
        z = torch.cat([conv(F.pad(x, pad)) for conv, pad in zip(self.convs, self.pads)], 1)  # [N, 8*C_out, X, Y, Z]
        n, _, sx, sy, sz = z.shape
        z = z.reshape(n, 2, 2, 2, self.cout, sx, sy, sz).permute(0, 4, 5, 1, 6, 2, 7, 3)    # [N, C, X, ra, Y, rb, Z, rc]
        return z.reshape(n, self.cout, 2 * sx, 2 * sy, 2 * sz)


def is_upsampling(m):
    return (isinstance(m, nn.ConvTranspose3d) and tuple(m.kernel_size) == (3, 3, 3) and tuple(m.stride) == (2, 2, 2)
            and tuple(m.padding) == (1, 1, 1) and tuple(m.output_padding) == (1, 1, 1)
            and tuple(m.dilation) == (1, 1, 1) and m.groups == 1)


def export_copy(model):
    """A copy of the model with every upsampling ConvTranspose3d replaced by SubPixelUpsample -> (copy, count)."""
    out = copy.deepcopy(model)
    swaps = [(name, m) for name, m in out.named_modules() if is_upsampling(m)]
    for name, m in swaps:
        parent_name, _, attr = name.rpartition(".")
        setattr(out.get_submodule(parent_name) if parent_name else out, attr, SubPixelUpsample(m))
    # the exporter needs the channel count of a non-affine InstanceNorm3d's input to write its unit scale and zero
    # bias, and the pixel shuffle's dynamic Reshape hides it (point head: upsampling -> InstanceNorm3d); give such
    # norms explicit unit/zero parameters (ONNX InstanceNormalization always takes them; x * 1 + 0 is exact)
    for m in out.modules():
        if isinstance(m, nn.InstanceNorm3d) and not m.affine:
            m.weight = nn.Parameter(torch.ones(m.num_features))
            m.bias = nn.Parameter(torch.zeros(m.num_features))
            m.affine = True
    return out.eval(), len(swaps)


# --------------------------------------------------------------------------------------------------- engine modules
class EncoderEngine(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.encoder = model.image_encoder.encoder

    def forward(self, image):
        return tuple(self.encoder(image))


class AutoFeaturesEngine(nn.Module):
    """Auto decoder + the class head's image_post_mapping: the per-voxel feature F' that every class is scored on."""

    def __init__(self, model):
        super().__init__()
        self.enc = model.image_encoder
        self.head = model.class_head

    def forward(self, skip0, skip1, skip2, skip3, skip4):
        return self.head.image_post_mapping(self.enc.decode_auto([skip0, skip1, skip2, skip3, skip4]))


class ClassEmbeddingEngine(nn.Module):
    """The class head's embedding + MLP: one C-vector per class id.  A class's logit at a voxel is the plain dot
    product of its vector with F' there (reference §2.3), so the runtime blends F' across windows and scores the
    classes once per voxel instead of once per window."""

    def __init__(self, model):
        super().__init__()
        self.head = model.class_head

    def forward(self, class_ids):
        return self.head.embed(class_ids.unsqueeze(1)).squeeze(1)          # [B,C]


class PointHeadEngine(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.enc = model.image_encoder
        self.head = model.point_head

    def forward(self, skip0, skip1, skip2, skip3, skip4, point_coords, point_labels, zero_shot):
        feat = self.enc.decode_point([skip0, skip1, skip2, skip3, skip4])   # [1,C,X,Y,Z]
        ph = self.head
        out_low = ph.feat_downsample(feat)
        full = torch._shape_as_tensor(feat)[2:].to(torch.float32)          # window size, for click normalisation
        pts = ph.point_tokens(point_coords, point_labels, full)
        n = point_coords.shape[0]
        tokens = torch.cat([ph.mask_tokens.weight.unsqueeze(0).expand(n, -1, -1), pts,
                            ph.class_tokens(zero_shot != 0)], dim=1)
        return ph.logits_from_tokens(out_low, tokens, None)


def engine_specs(c):
    skips = [{"name": SKIPS[i], "dtype": "float32", "shape": [1, c * 2 ** i] + [a + DIV[i] for a in "XYZ"]}
             for i in range(5)]
    logits = [{"name": "logits", "dtype": "float32", "shape": ["B", 1, "X", "Y", "Z"]}]
    return {
        "encoder": {"file": "encoder.onnx",
                    "inputs": [{"name": "image", "dtype": "float32", "shape": [1, 1, "X", "Y", "Z"]}],
                    "outputs": skips},
        "auto_features": {"file": "auto_features.onnx", "inputs": skips,
                          "outputs": [{"name": "features", "dtype": "float32", "shape": [1, c, "X", "Y", "Z"]}]},
        "class_embedding": {"file": "class_embedding.onnx",
                            "inputs": [{"name": "class_ids", "dtype": "int64", "shape": ["B"]}],
                            "outputs": [{"name": "embeddings", "dtype": "float32", "shape": ["B", c]}]},
        "point_head": {"file": "point_head.onnx",
                       "inputs": skips + [{"name": "point_coords", "dtype": "float32", "shape": ["B", "N", 3]},
                                          {"name": "point_labels", "dtype": "int64", "shape": ["B", "N"]},
                                          {"name": "zero_shot", "dtype": "int64", "shape": ["B"]}],
                       "outputs": logits},
    }


def dynamic_axes(spec):
    axes = {}
    for t in spec["inputs"] + spec["outputs"]:
        d = {i: str(s) for i, s in enumerate(t["shape"]) if isinstance(s, str)}
        if d:
            axes[t["name"]] = {i: n.replace("/", "_") for i, n in d.items()}
    return axes


# ---------------------------------------------------------------------------------------------------- verification
def sample_inputs(c, size=(32, 48, 16)):
    g = torch.Generator().manual_seed(1234)
    image = torch.rand((1, 1) + size, generator=g)
    class_ids = torch.tensor([1, 3, 14, 57], dtype=torch.int64)
    coords = torch.tensor([[[5.0, 20.0, 7.0], [12.5, 30.25, 3.0], [0.0, 0.0, 0.0]],
                           [[20.0, 10.0, 12.0], [3.0, 40.0, 8.0], [16.0, 24.0, 8.0]]])
    labels = torch.tensor([[1, 0, -1], [3, 2, 1]], dtype=torch.int64)
    zero_shot = torch.tensor([1, 0], dtype=torch.int64)
    return image, class_ids, coords, labels, zero_shot


def max_rel(a, b):
    a, b = a.detach().double(), b.detach().double()
    if a.shape != b.shape:
        return float("inf")
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-30))


def verify_torch(model, engines, c):
    """Engine modules (what gets exported) vs the network's own forward cuts, on a non-cubic input."""
    image, class_ids, coords, labels, zero_shot = sample_inputs(c)
    with torch.no_grad():
        skips = engines["encoder"](image)
        mapped = engines["auto_features"](*skips)
        emb = engines["class_embedding"](class_ids)
        auto = (emb @ mapped.reshape(1, mapped.shape[1], -1)).reshape((emb.shape[0], 1) + tuple(mapped.shape[2:]))
        point = engines["point_head"](*skips, coords, labels, zero_shot)
        p_ref, a_ref = model.image_encoder(image)
        auto_ref = model.class_head(a_ref, class_ids.unsqueeze(1))[0]
        prompt = torch.where(zero_shot != 0, torch.tensor(LAST_SUPPORTED + 8), torch.tensor(5)).unsqueeze(1)
        point_ref = model.point_head(p_ref, coords, labels, class_vector=prompt)
    return {"auto_features x class_embedding": max_rel(auto, auto_ref), "point_head": max_rel(point, point_ref)}


def check_onnx(path, spec):
    import onnx
    m = onnx.load(path, load_external_data=False)
    onnx.checker.check_model(path)
    ins = [i.name for i in m.graph.input]
    outs = [o.name for o in m.graph.output]
    want_in = [t["name"] for t in spec["inputs"]]
    want_out = [t["name"] for t in spec["outputs"]]
    if ins != want_in or outs != want_out:
        raise RuntimeError(f"{path}: graph I/O {ins}->{outs}, expected {want_in}->{want_out}")
    for vi, t in zip(list(m.graph.input) + list(m.graph.output), spec["inputs"] + spec["outputs"]):
        dims = vi.type.tensor_type.shape.dim
        if len(dims) != len(t["shape"]):
            raise RuntimeError(f"{path}: {t['name']} has rank {len(dims)}, expected {len(t['shape'])}")
        for d, s in zip(dims, t["shape"]):
            if isinstance(s, int) and d.HasField("dim_value") and d.dim_value != s:
                raise RuntimeError(f"{path}: {t['name']} dim {d.dim_value} != {s}")
            if isinstance(s, str) and d.HasField("dim_value"):
                raise RuntimeError(f"{path}: {t['name']} axis {s} was exported as a fixed size {d.dim_value}")
    return m.opset_import[0].version


# ------------------------------------------------------------------------------------------------------------ main
# keys a settings override may add although the defaults leave them out (the runtime's default applies without them)
OPTIONAL_KEYS = {"window.point_window": {"roi"}}

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


CLASS_TABLE_KEYS = ("classes", "last_supported", "zero_shot_min_id", "max_prompt_id", "everything_ids", "special_ids",
                    "legacy_ids", "groups")


def load_classes(path=None):
    path = path or os.path.join(HERE, "vista3d_classes.json")
    try:
        with open(path) as f:
            table = json.load(f)
    except (OSError, ValueError) as e:
        raise UserError(f"--classes {path}: not a readable JSON file ({e})") from e
    missing = [k for k in CLASS_TABLE_KEYS if not isinstance(table, dict) or k not in table]
    if missing:
        raise UserError(f"--classes {path}: expected a class table like vista3d_classes.json, missing {missing}")
    for i, c in enumerate(table["classes"]):
        for k in ("id", "name", "everything", "special", "legacy", "group", "color"):
            if not isinstance(c, dict) or k not in c:
                raise UserError(f"--classes {path}: classes[{i}] has no '{k}'")
    return table


def merge_settings(defaults, override, what):
    """Key-by-key merge of a JSON object over the defaults (nested objects merged too); unknown keys refused."""
    if override is None:
        return defaults
    if isinstance(override, str):
        try:
            text = open(override).read() if os.path.isfile(override) else override
            override = json.loads(text)
        except (OSError, ValueError) as e:
            raise UserError(f"--{what}: expected a JSON object or a file holding one ({e})") from e
    if not isinstance(override, dict):
        raise UserError(f"--{what}: expected a JSON object, got {type(override).__name__}")
    out = dict(defaults)
    for k, v in override.items():
        optional = OPTIONAL_KEYS.get(what, set())
        if k not in defaults and k not in optional:
            raise UserError(f"--{what}: unknown key '{k}' (expected one of {sorted(set(defaults) | optional)})")
        out[k] = merge_settings(defaults[k], v, f"{what}.{k}") if isinstance(defaults.get(k), dict) else v
    return out


def export_package(model, width, out_dir, name, description, source, notes, log=print, table=None,
                   preprocessing=None, window=None, training=None):
    table = table or load_classes()
    specs = engine_specs(width)
    exported, swapped = export_copy(model)
    log(f"upsample {swapped} ConvTranspose3d -> 8 parity Conv3d + pixel shuffle (export copy only)")
    engines = {"encoder": EncoderEngine(exported).eval(), "auto_features": AutoFeaturesEngine(exported).eval(),
               "class_embedding": ClassEmbeddingEngine(exported).eval(),
               "point_head": PointHeadEngine(exported).eval()}
    t0 = time.time()
    errs = verify_torch(model, engines, width)
    log(f"verify  engine modules vs network (torch, input [1,1,32,48,16]): "
        + ", ".join(f"{k} max_rel_err {v:.2e}" for k, v in errs.items()))
    if max(errs.values()) > 1e-5:
        raise RuntimeError(f"engine modules disagree with the network: {errs}")

    # trace on the smallest legal window; every spatial axis is exported dynamic
    image, class_ids, coords, labels, zero_shot = sample_inputs(width, size=(16, 32, 16))
    with torch.no_grad():
        skips = engines["encoder"](image)
    args = {"encoder": (image,), "auto_features": tuple(skips), "class_embedding": (class_ids,),
            "point_head": tuple(skips) + (coords, labels, zero_shot)}
    files, opsets = {}, {}
    for key in ENGINES:
        spec = specs[key]
        path = os.path.join(out_dir, spec["file"])
        t = time.time()
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(engines[key], args[key], path, opset_version=OPSET,
                              input_names=[i["name"] for i in spec["inputs"]],
                              output_names=[o["name"] for o in spec["outputs"]],
                              dynamic_axes=dynamic_axes(spec), do_constant_folding=True)
        opsets[key] = check_onnx(path, spec)
        files[spec["file"]] = sha256(path)
        log(f"engine  {key:15s} -> {spec['file']:20s} {os.path.getsize(path) / 2 ** 20:8.1f} MiB  "
            f"opset {opsets[key]}  {time.time() - t:6.1f} s")

    # where every weight went, so that training can resume from the package alone (package_weights.py)
    where = PW.initializer_map(model.state_dict(), out_dir)
    unused = sorted(k for k, v in where.items() if v is None)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:   # read_state_dict needs the map in the manifest
        json.dump({"export": {"initializers": where}}, f)
    back = PW.read_state_dict(out_dir, model)
    bad = [k for k, v in model.state_dict().items() if where[k] is not None and not torch.equal(back[k], v)]
    if bad:
        raise RuntimeError(f"weights read back from the ONNX files differ for {bad[:5]}")
    log(f"weights {len(where) - len(unused)} of {len(where)} tensors recoverable from the ONNX files"
        + (f" (unused by the engines: {', '.join(unused)})" if unused else ""))

    manifest = {
        "format": FORMAT,
        "name": name,
        "description": description,
        "architecture": {"name": "vista3d132", "encoder_embed_dim": width, "in_channels": 1},
        "preprocessing": preprocessing or PREPROCESSING,
        "window": window or WINDOW,
        "classes": table["classes"],
        "class_sets": {k: table[k] for k in ("last_supported", "zero_shot_min_id", "max_prompt_id", "everything_ids",
                                             "special_ids", "legacy_ids", "groups")},
        "engines": specs,
        "engine_notes": {
            "spatial": "X, Y, Z = window size as the network sees it (vectors' H, W, D = tensor dims 2,3,4; no "
                       "transpose anywhere); each a multiple of 16, dynamic; the bundle uses 128^3",
            "encoder": "skip_i = output of encoder level i (after its residual blocks, before downsampling); "
                       "batch must be 1",
            "auto_features": "runs the auto decoder (up_layers_auto) + the class head's image_post_mapping once per "
                             "window: F' [1,C,X,Y,Z]",
            "class_embedding": "the class head's embedding + MLP for class_ids (valid 0..511, trained 1..132): "
                               "e [B,C]; the class-head logit of id k at voxel v is sum_c e[k,c] * F'[c,v] (no bias), "
                               "so windows can be blended in F' (C channels) and scored once per voxel",
            "point_head": "runs the point decoder (up_layers) + SAM head once per call for B objects; point_coords "
                          "are window-local voxel coordinates (float, not rounded); point_labels -1 pad/ignore, 0 neg, "
                          "1 pos, 2 neg special, 3 pos special; zero_shot 1 -> zeroshot_embed else supported_embed; "
                          "rows whose labels are all -1 must be replaced by -9999 by the caller (MONAI mapping_index)",
            "logits": "raw logits before sigmoid, float32",
        },
        "export": {"tool": "tools/vista3d/export.py", "opset": OPSET, "torch": torch.__version__,
                   "weights": source, "notes": notes, "torch_check_max_rel_err": errs,
                   "upsampling": f"sub-pixel: {swapped} ConvTranspose3d(k3,s2,p1,op1) exported as 8 parity Conv3d "
                                 "(kernel 1/2 per axis) + concat + pixel shuffle (same sums, float rounding only)",
                   "seconds": round(time.time() - t0, 1), "initializers": where},
        "files": files,
    }
    if training is not None:  # train.py's schedule position and history: --resume-from continues from it
        manifest["training"] = training
    text = manifest_text(manifest)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        f.write(text)
    # the manifest's own hash (sha256sum format): the runtime refuses an edited class table or preprocessing
    with open(os.path.join(out_dir, "manifest.sha256"), "w") as f:
        f.write(hashlib.sha256(text.encode("utf-8")).hexdigest() + "  manifest.json\n")
    return manifest


def training_record(path):
    """A training record (train.py's steps, minutes, validation history, arguments; written by ship.py) kept in the
    manifest, so that `train.py --resume-from PACKAGE` continues the same schedule."""
    if not path:
        return None
    try:
        with open(path) as f:
            rec = json.load(f)
    except (OSError, ValueError) as e:
        raise UserError(f"--training {path}: not a readable JSON file ({e})") from e
    if not isinstance(rec, dict) or not isinstance(rec.get("state"), dict):
        raise UserError(f"--training {path}: expected a JSON object with a 'state' object")
    return rec


def manifest_text(manifest):
    """Indented JSON with one line per class (readable diffs, 1/10 of the lines)."""
    export = manifest.get("export", {})
    inits = export.get("initializers")
    shown = dict(manifest, classes="@CLASSES@")
    if inits is not None:
        shown["export"] = dict(export, initializers="@INITIALIZERS@")
    text = json.dumps(shown, indent=1)
    rows = ",\n".join("  " + json.dumps(c) for c in manifest["classes"])
    text = text.replace('"@CLASSES@"', "[\n" + rows + "\n ]") + "\n"
    if inits is not None:
        rows = ",\n".join("   " + json.dumps(k) + ": " + json.dumps(v) for k, v in inits.items())
        text = text.replace('"@INITIALIZERS@"', "{\n" + rows + "\n  }")
    assert json.loads(text) == manifest
    return text


def main(argv=None):
    ap = argparse.ArgumentParser(description="Export a VISTA3D EdgeSeg model package (manifest + 3 ONNX engines)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--weights", help=".pt/.pth state dict or .npz (one array per MONAI key)")
    src.add_argument("--init-seed", type=int, help="random PyTorch default initialisation with this seed")
    ap.add_argument("--width", type=int, help="encoder_embed_dim (default: from the weights, else 48)")
    ap.add_argument("--out", required=True, help="package folder to create")
    ap.add_argument("--name", help="package name (default vista3d-w<W>-<source>)")
    ap.add_argument("--description", default=None)
    ap.add_argument("--force", action="store_true", help="replace an existing non-empty --out folder")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--classes", help="class table JSON (format of vista3d_classes.json; default: VISTA3D's 132)")
    ap.add_argument("--preprocessing", help="JSON object (text or file) merged over the default preprocessing")
    ap.add_argument("--window", help="JSON object (text or file) merged over the default window settings")
    ap.add_argument("--training", help="JSON file: train.py's record (ship.py writes it), kept in the manifest")
    a = ap.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    out = os.path.abspath(a.out)
    tmp = None
    try:
        if os.path.exists(out) and not os.path.isdir(out):
            raise UserError(f"--out {out} exists and is not a folder")
        if os.path.isdir(out) and os.listdir(out) and not a.force:
            raise UserError(f"--out {out} exists and is not empty (use --force to replace it)")
        parent = os.path.dirname(out)
        if not os.path.isdir(parent):
            raise UserError(f"parent folder of --out does not exist: {parent}")
        if a.width is not None and (a.width <= 0 or a.width % 8):
            raise UserError(f"--width must be a positive multiple of 8, got {a.width}")
        table = load_classes(a.classes)
        preprocessing = merge_settings(PREPROCESSING, a.preprocessing, "preprocessing")
        window = merge_settings(WINDOW, a.window, "window")
        t0 = time.time()
        try:
            model, width, notes = W.build_model(a.weights, width=a.width, init_seed=a.init_seed)
        except W.WeightsError as e:
            raise UserError(str(e)) from e
        if a.weights:
            source = {"file": os.path.abspath(a.weights), "sha256": sha256(a.weights)}
            tag = os.path.splitext(os.path.basename(a.weights))[0]
            if tag in ("weights", "model"):  # generic file names: the folder says more (e.g. net-w8-a)
                tag = os.path.basename(os.path.dirname(os.path.abspath(a.weights))) or tag
        else:
            source = {"init_seed": a.init_seed}
            tag = f"seed{a.init_seed}"
        name = a.name or f"vista3d-w{width}-{tag}"
        desc = a.description or (f"VISTA3D vista3d132 width {width}, "
                                 + (f"weights {os.path.basename(a.weights)}" if a.weights
                                    else f"random init seed {a.init_seed} (for tests/benchmarks, not a trained model)"))
        print(f"model   vista3d132 width {width} ({sum(p.numel() for p in model.state_dict().values()):,} values)"
              + "".join(f"; {n}" for n in notes))
        tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.tmp-", dir=parent)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a package is an ordinary readable folder
        export_package(model, width, tmp, name, desc, source, notes, table=table, preprocessing=preprocessing,
                       window=window, training=training_record(a.training))
        if os.path.isdir(out):
            old = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.old-", dir=parent)
            os.rename(out, os.path.join(old, "pkg"))
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
        tmp = None
        size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
        print(f"package {out}: {size / 2 ** 20:.1f} MiB in {time.time() - t0:.1f} s")
        return 0
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:
        print(f"error: verification failed: {e}", file=sys.stderr)
        return 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
