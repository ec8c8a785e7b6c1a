#!/usr/bin/env python3
"""Train a narrow VISTA3D (vista3d132, width 8) on OpenKBP head-and-neck CT on the CPU, in resumable runs.

    nice -n 19 /usr/bin/python3 tools/vista3d/train.py --out checkpoints/hn-w8 --minutes 120 --threads 2 \
        [--resume | --resume-from models/vista3d-w8-openkbp-hn]

Recipe (docs/model-card.md says what was tried and measured):
  auto steps   encoder + auto decoder + class head trained jointly from scratch (the auto Dice is what a user sees
               first, and the point branch learns far faster on a trained encoder); 96x96x64 crops at 4x4x2.5 mm
               cover the whole neck, so one step sees every organ; every contoured OAR is a class prompt.
  point steps  after --point-after steps, a --point-prob share of the steps trains the point decoder + point head on
               the frozen encoder: 1-3 positive / 0-3 negative clicks from the masks, an error-region round, PTV70 as
               a zero-shot object (zeroshot_embed).
  augment      left/right flip with the parotids swapped, HU scale/shift.
One AdamW over all parameters (a step only moves the parameters it used); cosine schedule over --horizon steps
counted across runs, so resumed runs continue the same schedule.

Data: ../shared/data/openkbp (see its README), resampled once to --spacing with the runtime's Spacing semantics
(voxel-0 centre kept, centre-to-centre, trilinear, border clamp; labels nearest) and cached under <out>/cache.
Loss per object: DiceCE (sigmoid, squared_pred, smooth_nr 0, smooth_dr 1e-5) as in §5.2; a structure that was not
contoured for a patient is never a prompt for it ("not contoured" is not "absent").
Resume: <out>/last.pt (weights, optimiser, schedule) every --save-every steps, on SIGTERM/SIGINT and at the end;
<out>/best.pt = the weights with the best val crop Dice.  Between machines only the repository survives, so
--resume-from reads the weights back from the shipped package's ONNX initializers and the schedule position from
its manifest (optimiser moments start afresh).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from network import vista3d132  # noqa: E402

A_MIN, A_MAX = -963.8247715525971, 1053.678477684517
ZERO_SHOT_CLASS = 133  # any id > 132 selects zeroshot_embed (§8 Q45)


def load_class_table(path):
    with open(path) as f:
        table = json.load(f)
    # bit -> class id for the auto/point-trained OARs
    return {int(c["openkbp_bit"]): int(c["id"]) for c in table["classes"]}


# ------------------------------------------------------------------------------------------------------------ data
def resample(vol, spacing, target, order):
    """Runtime Spacing semantics for an axis-aligned RAS grid: n_out = round_half_even((n-1)*s/t + 1), output voxel j
    sits at input index j*t/s (voxel-0 centres coincide), clamp at the border."""
    from scipy import ndimage
    zoom = [t / s for s, t in zip(spacing, target)]
    if all(abs(s - t) <= 1e-3 for s, t in zip(spacing, target)):
        return vol
    shape = [int(np.round((n - 1) * s / t + 1)) for n, s, t in zip(vol.shape, spacing, target)]
    return ndimage.affine_transform(vol, zoom, offset=0.0, output_shape=shape, order=order, mode="nearest",
                                    prefilter=False)


def prepare(data_root, split, target, cache_dir, log):
    import nibabel as nib
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(data_root, "patients.json")) as f:
        pats = json.load(f)["splits"][split]
    with open(os.path.join(data_root, "structures.json")) as f:
        bits = {s["name"]: s["bit"] for s in json.load(f)}
    cases = []
    t0 = time.time()
    for p in pats:
        path = os.path.join(cache_dir, f"{split}-{p['id']}.npz")
        if not os.path.exists(path):
            d = os.path.join(data_root, split, p["id"])
            ct_img = nib.load(os.path.join(d, "ct.nii.gz"))
            spacing = [float(x) for x in ct_img.header.get_zooms()[:3]]
            ct = np.asarray(ct_img.dataobj, dtype=np.float32)
            lab = np.asarray(nib.load(os.path.join(d, "labels.nii.gz")).dataobj).astype(np.int32)
            ct_r = resample(ct, spacing, target, 1).astype(np.int16)
            lab_r = resample(lab, spacing, target, 0).astype(np.uint16)
            tmp = path + ".tmp.npz"
            np.savez(tmp, ct=ct_r, lab=lab_r)
            os.replace(tmp, path)
        z = np.load(path)
        contoured = sorted(bits[n] for n in p["contoured"])
        cases.append({"id": p["id"], "ct": z["ct"], "lab": z["lab"], "contoured": contoured})
    log(f"data    {split}: {len(cases)} patients resampled to {target} mm, shapes "
        f"{min(c['ct'].shape for c in cases)}..{max(c['ct'].shape for c in cases)} ({time.time() - t0:.0f} s)")
    return cases


def normalise(ct):
    return np.clip((ct.astype(np.float32) - A_MIN) / (A_MAX - A_MIN), 0.0, 1.0)


# ------------------------------------------------------------------------------------------------------------ loss
def dice_ce(logits, target):
    """Per-object MONAI DiceCELoss(sigmoid, squared_pred, smooth_nr=0, smooth_dr=1e-5), averaged over objects."""
    p = torch.sigmoid(logits)
    dims = tuple(range(1, logits.dim()))
    inter = (p * target).sum(dims)
    den = (p * p).sum(dims) + (target * target).sum(dims)
    dice = 1.0 - 2.0 * inter / (den + 1e-5)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dims)
    return (dice + ce).mean()


def dice_score(pred, target):
    s = pred.sum() + target.sum()
    return float(2 * (pred & target).sum() / s) if s else float("nan")


# ------------------------------------------------------------------------------------------------------------ clicks
def sample_clicks(mask, rng, max_point=3):
    """§5.2 generate_prompt_pairs: Np = min(3, floor|N(0,1)|+1) positives uniform in the mask, Nn = min(3, floor|N(0,1)|)
    negatives (here half of them from a 3-voxel shell around the object, half uniform outside: uniform negatives in
    a mostly-air crop teach little on this budget)."""
    np_ = min(max_point, int(abs(rng.gauss(0, max_point // 2))) + 1)
    nn_ = min(max_point, int(abs(rng.gauss(0, max_point // 2))))
    pos = np.argwhere(mask)
    coords, labels = [], []
    for _ in range(np_):
        coords.append(pos[rng.randrange(len(pos))])
        labels.append(1)
    if nn_:
        from scipy import ndimage
        shell = ndimage.binary_dilation(mask, iterations=3) & ~mask
        outside = np.argwhere(~mask)
        sh = np.argwhere(shell)
        for _ in range(nn_):
            src = sh if (len(sh) and rng.random() < 0.5) else outside
            coords.append(src[rng.randrange(len(src))])
            labels.append(0)
    return coords, labels


def error_click(pred, mask, rng):
    """One positive click from the eroded false-negative region and one negative from the eroded false-positive
    region (3x3x3 erosion, falling back to the raw region); None where a region is empty."""
    from scipy import ndimage
    out = []
    for region, label in ((mask & ~pred, 1), (pred & ~mask, 0)):
        er = ndimage.binary_erosion(region)
        pts = np.argwhere(er if er.any() else region)
        out.append((pts[rng.randrange(len(pts))], label) if len(pts) else None)
    return out


def pad_clicks(per_object):
    n = max(len(c) for c, _ in per_object)
    coords = torch.zeros((len(per_object), n, 3), dtype=torch.float32)
    labels = torch.full((len(per_object), n), -1, dtype=torch.int64)
    for i, (c, l) in enumerate(per_object):
        if c:
            coords[i, :len(c)] = torch.tensor(np.array(c, dtype=np.float32))
            labels[i, :len(l)] = torch.tensor(l)
    return coords, labels


# ------------------------------------------------------------------------------------------------------------ augment
PAROTID_R_BIT, PAROTID_L_BIT = 2, 3


def swap_bits(lab, a, b):
    """Label bitmask with bits a and b exchanged (left/right structures after a left/right flip)."""
    ba, bb = (lab >> a) & 1, (lab >> b) & 1
    out = lab & ~np.uint16((1 << a) | (1 << b))
    return (out | (ba << b) | (bb << a)).astype(lab.dtype)


def oar_centre(case, oar_bits):
    """Centre of the bounding box of all contoured OARs (the neck), in voxels of the resampled case."""
    if "centre" not in case:
        mask = np.zeros(case["lab"].shape, bool)
        for b in oar_bits:
            if b in case["contoured"]:
                mask |= ((case["lab"] >> b) & 1).astype(bool)
        pts = np.argwhere(mask)
        case["centre"] = ((pts.min(0) + pts.max(0)) // 2) if len(pts) else np.array(case["lab"].shape) // 2
    return case["centre"]


def crop_at(case, centre, size, hu=None):
    """`size` crop centred on `centre`, padded with normalised 0 (the runtime's constant window padding)."""
    ct, lab = case["ct"], case["lab"]
    shape = np.array(ct.shape)
    start = np.array(centre) - np.array(size) // 2
    img = np.zeros(size, np.float32)
    lb = np.zeros(size, np.uint16)
    src0 = np.maximum(start, 0)
    src1 = np.minimum(start + np.array(size), shape)
    if np.any(src1 <= src0):
        return img, lb
    dst0 = src0 - start
    dst1 = dst0 + (src1 - src0)
    sl_s = tuple(slice(a, b) for a, b in zip(src0, src1))
    sl_d = tuple(slice(a, b) for a, b in zip(dst0, dst1))
    raw = ct[sl_s].astype(np.float32)
    if hu is not None:
        raw = raw * hu[0] + hu[1]
    img[sl_d] = normalise(raw)
    lb[sl_d] = lab[sl_s]
    return img, lb


def training_crop(case, size, oar_bits, rng, augment=True, hardness=None):
    """Where a training crop is centred: half the time on the neck (bounding box of the OARs) with jitter, 40 % on a
    voxel of one OAR chosen uniformly (so small structures are picked as often as large ones), 10 % anywhere.
    Augmentation: HU scale/shift, and a left/right flip (network axis 0 is R->L after RAS) with the parotids swapped.
    `hardness` (bit -> weight, from the last validation) tilts the OAR choice towards the structures the model still
    misses: a uniform choice left the thin esophagus at Dice 0 for 2,400 steps while the others reached 0.6-0.8."""
    u = rng.random()
    present = [b for b in oar_bits if b in case["contoured"]]
    if u < 0.5 or not present:
        c = oar_centre(case, oar_bits) + np.array([rng.randint(-s // 6, s // 6) for s in size])
    elif u < 0.9:
        w = [hardness.get(b, 1.0) for b in present] if hardness else [1.0] * len(present)
        b = rng.choices(present, weights=w)[0]
        idx = np.flatnonzero((case["lab"] >> b) & 1)
        c = (np.array(np.unravel_index(idx[rng.randrange(idx.size)], case["lab"].shape)) if idx.size
             else oar_centre(case, oar_bits)) + np.array([rng.randint(-s // 8, s // 8) for s in size])
    else:
        c = np.array([rng.randint(0, s - 1) for s in case["ct"].shape])
    hu = (rng.uniform(0.9, 1.1), rng.uniform(-40.0, 40.0)) if augment and rng.random() < 0.8 else None
    img, lb = crop_at(case, c, size, hu)
    if augment and rng.random() < 0.5:
        img = np.ascontiguousarray(img[::-1])
        lb = swap_bits(np.ascontiguousarray(lb[::-1]), PAROTID_R_BIT, PAROTID_L_BIT)
    return img, lb


# ------------------------------------------------------------------------------------------------------------ steps
def auto_step(model, img, lb, case, oar_bits, bit_to_id):
    """Encoder + auto decoder + class head, jointly: every contoured OAR is a class prompt (one absent from the crop
    teaches 'nothing here')."""
    bits = [b for b in oar_bits if b in case["contoured"]]
    if not bits:
        return None
    enc = model.image_encoder
    feat = enc.decode_auto(enc.encode(torch.from_numpy(img)[None, None]))
    ids = torch.tensor([bit_to_id[b] for b in bits]).reshape(-1, 1)
    logits, _ = model.class_head(feat, ids)                       # [n,1,X,Y,Z]
    target = torch.from_numpy(np.stack([((lb >> b) & 1) for b in bits]).astype(np.float32))[:, None]
    return dice_ce(logits, target)


def point_step(model, img, lb, case, oar_bits, zs_bits, rng, error_round, max_objects=3):
    """Point decoder + point head on the (frozen) encoder: clicks sampled from the masks, then with probability
    `error_round` one more round from the false-negative / false-positive regions; PTV70 as a zero-shot object."""
    objects = [(b, False) for b in oar_bits if b in case["contoured"] and ((lb >> b) & 1).sum() >= 5]
    rng.shuffle(objects)
    objects = objects[:max_objects]
    for b in zs_bits:
        if b in case["contoured"] and ((lb >> b) & 1).sum() >= 20 and rng.random() < 0.5:
            objects.append((b, True))
    if not objects:
        return None
    masks = [((lb >> b) & 1).astype(bool) for b, _ in objects]
    clicks = [sample_clicks(m, rng) for m in masks]
    enc = model.image_encoder
    with torch.no_grad():
        skips = enc.encode(torch.from_numpy(img)[None, None])
    feat = enc.decode_point(skips)
    zs = torch.tensor([ZERO_SHOT_CLASS if z else 1 for _, z in objects]).reshape(-1, 1)
    target = torch.from_numpy(np.stack(masks).astype(np.float32))[:, None]
    coords, labels = pad_clicks(clicks)
    logits = model.point_head(feat, coords, labels, class_vector=zs)
    loss = dice_ce(logits, target)
    if rng.random() < error_round:
        pred = (logits.detach() > 0).numpy()[:, 0]
        for i, m in enumerate(masks):
            for e in error_click(pred[i], m, rng):
                if e is not None:
                    clicks[i][0].append(e[0])
                    clicks[i][1].append(e[1])
        coords, labels = pad_clicks(clicks)
        loss = 0.5 * (loss + dice_ce(model.point_head(feat, coords, labels, class_vector=zs), target))
    return loss


@torch.no_grad()
def validate(model, cases, oar_bits, bit_to_id, size):
    """Auto Dice on one crop per val case centred on the neck (deterministic; a progress signal -- evaluate.py gives
    the real numbers through the Java SDK on the original grid)."""
    model.eval()
    scores = {b: [] for b in oar_bits}
    for case in cases:
        img, lb = crop_at(case, oar_centre(case, oar_bits), size)
        bits = [b for b in oar_bits if b in case["contoured"] and ((lb >> b) & 1).any()]
        if not bits:
            continue
        feat = model.image_encoder.decode_auto(model.image_encoder.encode(torch.from_numpy(img)[None, None]))
        logits, _ = model.class_head(feat, torch.tensor([bit_to_id[b] for b in bits]).reshape(-1, 1))
        for i, b in enumerate(bits):
            scores[b].append(dice_score((logits[i, 0] > 0).numpy(), ((lb >> b) & 1).astype(bool)))
    model.train()
    return {b: float(np.mean(v)) for b, v in scores.items() if v}


# ------------------------------------------------------------------------------------------------------------ resume
def weights_from_package(pkg, width):
    """The network's state dict read back from a package's ONNX initializers (package_weights.py)."""
    from package_weights import read_state_dict
    return read_state_dict(pkg, vista3d132(encoder_embed_dim=width))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data", "openkbp"))
    ap.add_argument("--classes", default=os.path.join(HERE, "openkbp_classes.json"))
    ap.add_argument("--out", required=True, help="working folder: cache, last.pt, best.pt, train.log")
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--spacing", type=float, nargs=3, default=[4.0, 4.0, 2.5])
    ap.add_argument("--crop", type=int, nargs=3, default=[96, 96, 64])
    ap.add_argument("--minutes", type=float, default=60.0, help="wall-clock budget of this run")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--horizon", type=int, default=40000, help="steps of the cosine schedule (across all runs)")
    ap.add_argument("--point-after", type=int, default=1500, help="auto-only steps before point steps start")
    ap.add_argument("--point-prob", type=float, default=0.3, help="share of point steps after --point-after")
    ap.add_argument("--error-round", type=float, default=0.3)
    ap.add_argument("--val-every", type=int, default=250)
    ap.add_argument("--save-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hard-sampling", action="store_true",
                    help="draw OAR-centred crops in proportion to 1.05 - the last val Dice of each structure")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true", help="continue from <out>/last.pt (optimiser included)")
    ap.add_argument("--resume-from", help="continue from a shipped package (weights from its ONNX initializers, "
                                          "schedule position from its manifest's 'training' record)")
    ap.add_argument("--bench", type=int, default=0, help="time N steps of each kind and exit")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, "train.log"), "a")

    def log(msg):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    bit_to_id = load_class_table(a.classes)
    oar_bits = sorted(bit_to_id)
    zs_bits = [9]  # PTV70: zero-shot object of the point steps
    cache = os.path.join(a.out, "cache")
    train = prepare(a.data, "train", a.spacing, cache, log)
    val = prepare(a.data, "val", a.spacing, cache, log)
    torch.manual_seed(a.seed)
    model = vista3d132(encoder_embed_dim=a.width)
    model.train()
    state = {"step": 0, "auto_steps": 0, "point_steps": 0, "minutes": 0.0, "best": None, "runs": []}
    ckpt = os.path.join(a.out, "last.pt")
    opt_state = None
    if a.resume and os.path.exists(ckpt):
        c = torch.load(ckpt, map_location="cpu")
        model.load_state_dict(c["model"])
        state.update(c["state"])
        opt_state = c["opt"]
        log(f"resume  {ckpt}: step {state['step']} ({state['minutes']:.0f} min so far)")
    elif a.resume_from:
        model.load_state_dict(weights_from_package(a.resume_from, a.width))
        with open(os.path.join(a.resume_from, "manifest.json")) as f:
            state.update(json.load(f).get("training", {}).get("state", {}))
        log(f"resume  weights of package {a.resume_from}: step {state['step']} ({state['minutes']:.0f} min so far; "
            "optimiser moments start afresh)")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-5)
    if opt_state is not None:
        opt.load_state_dict(opt_state)
    rng = random.Random(a.seed * 100003 + state["step"])
    run = {"started": time.strftime("%Y-%m-%d %H:%M"), "from_step": state["step"], "threads": a.threads,
           "crop": a.crop}
    state["runs"].append(run)

    def save(path, with_opt=True):
        tmp = path + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict() if with_opt else None, "state": state,
                    "args": vars(a)}, tmp)
        os.replace(tmp, path)

    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True
        log(f"signal  {signum}: saving and stopping after this step")
    import signal
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t_run, t_last, losses = time.time(), time.time(), {"auto": [], "point": []}

    def hardness_from(val):
        # 1.05 - Dice: a structure at Dice 0 is drawn about three times as often as one at 0.7
        if not a.hard_sampling or not val:
            return None
        id_to_bit = {v: k for k, v in bit_to_id.items()}
        return {id_to_bit[int(i)]: 1.05 - d for i, d in val[-1]["per_id"].items() if int(i) in id_to_bit}

    hardness = hardness_from(state.get("val"))
    n_bench = {"auto": 0, "point": 0}
    while not stop["now"] and (a.bench or time.time() - t_run < a.minutes * 60):
        frac = min(1.0, state["step"] / a.horizon)
        lr = a.lr * min(1.0, (state["step"] + 1) / 100) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        kind = "point" if state["step"] >= a.point_after and rng.random() < a.point_prob else "auto"
        if a.bench:
            kind = "auto" if n_bench["auto"] < a.bench else "point"
        t0 = time.time()
        case = train[rng.randrange(len(train))]
        img, lb = training_crop(case, a.crop, oar_bits, rng, hardness=hardness)
        if kind == "point":
            loss = point_step(model, img, lb, case, oar_bits, zs_bits, rng, a.error_round)
        else:
            loss = auto_step(model, img, lb, case, oar_bits, bit_to_id)
        if loss is None:
            continue
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses[kind].append(float(loss))
        state["step"] += 1
        state[f"{kind}_steps"] += 1
        state["minutes"] += (time.time() - t0) / 60
        if a.bench:
            n_bench[kind] += 1
            log(f"bench   {kind} step {time.time() - t0:.2f} s loss {float(loss):.3f}")
            if n_bench["point"] >= a.bench:
                break
            continue
        if state["step"] % 10 == 0:
            log(f"step {state['step']:6d}  auto {np.mean(losses['auto'][-20:] or [0]):.4f}  "
                f"point {np.mean(losses['point'][-20:] or [0]):.4f}  lr {lr:.2e}  "
                f"{(time.time() - t_last) / 10:.2f} s/step  run {(time.time() - t_run) / 60:.1f}/{a.minutes:.0f} min")
            t_last = time.time()
        if state["step"] % a.save_every == 0:
            save(ckpt)
        if state["step"] % a.val_every == 0:
            vr = validate(model, val, oar_bits, bit_to_id, a.crop)
            mean = float(np.mean(list(vr.values())))
            log("val     step %d crop auto Dice " % state["step"]
                + ", ".join(f"{bit_to_id[b]}:{v:.3f}" for b, v in vr.items()) + f"  mean {mean:.3f}")
            state.setdefault("val", []).append({"step": state["step"], "mean": round(mean, 4),
                                                "per_id": {bit_to_id[b]: round(v, 4) for b, v in vr.items()}})
            hardness = hardness_from(state["val"])
            if state["best"] is None or mean > state["best"]["mean"]:
                state["best"] = {"step": state["step"], "mean": round(mean, 4)}
                save(os.path.join(a.out, "best.pt"), with_opt=False)
                log(f"best    step {state['step']} mean {mean:.3f} -> {os.path.join(a.out, 'best.pt')}")
    if a.bench:
        return 0
    run["to_step"] = state["step"]
    run["minutes"] = round((time.time() - t_run) / 60, 1)
    save(ckpt)
    log(f"stop    step {state['step']} (auto {state['auto_steps']}, point {state['point_steps']}), "
        f"{state['minutes']:.0f} step-minutes in all; best {state['best']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
