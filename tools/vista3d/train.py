#!/usr/bin/env python3
"""Train a narrow VISTA3D (vista3d132, width 8) on OpenKBP head-and-neck CT, on the CPU, with the staged recipe of
the paper scaled down (shared/docs/vista3d-reference.md §5.2):

  stage "point": encoder + point decoder + point head; clicks sampled from the masks (1-3 positives, 0-3 negatives),
                 then, with probability --error-round, one more round with a click from the false-negative and one
                 from the false-positive region of the previous prediction.  PTV70 (a tumour target) is trained as a
                 zero-shot object (zeroshot_embed) so the zero-shot token is not left at its random init.
  stage "auto":  auto decoder + class head, encoder and point branch frozen (freeze_head='point' in the paper);
                 every contoured OAR of the patient is a class prompt (absent-in-crop ones act as background prompts).

    /usr/bin/python3 tools/vista3d/train.py --out checkpoints/hn-w8 --point-minutes 15 --auto-minutes 25 [--resume]

Data: ../shared/data/openkbp (see its README), resampled once to --spacing with the runtime's Spacing semantics
(voxel-0 centre kept, centre-to-centre, trilinear, border clamp; labels nearest) and cached under <out>/cache.
Loss per object: DiceCE (sigmoid, squared_pred, smooth_nr 0, smooth_dr 1e-5) as in §5.2; a structure that was not
contoured for a patient is never a prompt for it ("not contoured" is not "absent").
Progress lines go to stdout; a checkpoint (<out>/last.pt: model, optimiser, stage, step) is written every
--save-every steps and at the end of each stage; --resume continues from it.  Exported weights: <out>/weights.pt.
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


def random_crop(case, size, bits_wanted, rng):
    """Crop of `size` (padding with normalised 0 = the runtime's constant window padding). With probability 0.8 it is
    centred (with jitter) on a voxel of a random wanted structure, else anywhere inside the body slab."""
    ct, lab = case["ct"], case["lab"]
    shape = np.array(ct.shape)
    present = [b for b in bits_wanted if b in case["contoured"]]
    centre = None
    if present and rng.random() < 0.8:
        b = rng.choice(present)
        idx = np.flatnonzero((lab >> b) & 1)
        if idx.size:
            centre = np.array(np.unravel_index(idx[rng.randrange(idx.size)], lab.shape))
            centre = centre + np.array([rng.randint(-size[i] // 4, size[i] // 4) for i in range(3)])
    if centre is None:
        centre = np.array([rng.randint(0, s - 1) for s in shape])
    start = centre - np.array(size) // 2
    img = np.zeros(size, np.float32)
    lb = np.zeros(size, np.uint16)
    src0 = np.maximum(start, 0)
    src1 = np.minimum(start + np.array(size), shape)
    dst0 = src0 - start
    dst1 = dst0 + (src1 - src0)
    sl_s = tuple(slice(a, b) for a, b in zip(src0, src1))
    sl_d = tuple(slice(a, b) for a, b in zip(dst0, dst1))
    img[sl_d] = normalise(ct[sl_s])
    lb[sl_d] = lab[sl_s]
    return img, lb


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


# ------------------------------------------------------------------------------------------------------------ steps
def point_step(model, img, lb, case, oar_bits, zs_bits, rng, error_round, max_objects=2):
    objects = []  # (bit, zero_shot)
    for b in oar_bits:
        if b in case["contoured"] and ((lb >> b) & 1).sum() >= 5:
            objects.append((b, False))
    rng.shuffle(objects)
    objects = objects[:max_objects]
    for b in zs_bits:
        if b in case["contoured"] and ((lb >> b) & 1).sum() >= 20 and rng.random() < 0.35:
            objects.append((b, True))
    if not objects:
        return None
    masks = [((lb >> b) & 1).astype(bool) for b, _ in objects]
    clicks = [sample_clicks(m, rng) for m in masks]
    x = torch.from_numpy(img)[None, None]
    enc = model.image_encoder
    skips = enc.encode(x)
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
        logits2 = model.point_head(feat, coords, labels, class_vector=zs)
        loss = 0.5 * (loss + dice_ce(logits2, target))
    return loss


def auto_step(model, img, lb, case, oar_bits, bit_to_id, freeze_encoder):
    bits = [b for b in oar_bits if b in case["contoured"]]
    if not bits:
        return None
    x = torch.from_numpy(img)[None, None]
    enc = model.image_encoder
    if freeze_encoder:
        with torch.no_grad():
            skips = enc.encode(x)
    else:
        skips = enc.encode(x)
    feat = enc.decode_auto(skips)
    ids = torch.tensor([bit_to_id[b] for b in bits]).reshape(-1, 1)
    logits, _ = model.class_head(feat, ids)          # [n,1,X,Y,Z]
    target = torch.from_numpy(np.stack([((lb >> b) & 1) for b in bits]).astype(np.float32))[:, None]
    return dice_ce(logits, target)


def set_trainable(model, stage):
    for p in model.parameters():
        p.requires_grad_(False)
    enc = model.image_encoder
    if stage == "point":
        mods = [enc.encoder, enc.up_layers, model.point_head]
    else:
        mods = [enc.up_layers_auto, model.class_head]
    for m in mods:
        for p in m.parameters():
            p.requires_grad_(True)
    return [p for p in model.parameters() if p.requires_grad]


@torch.no_grad()
def quick_val(model, cases, oar_bits, bit_to_id, size, rng):
    """Auto Dice on one object-centred crop per val case (a cheap progress signal; evaluate.py gives the real
    numbers through the Java SDK)."""
    model.eval()
    scores = {b: [] for b in oar_bits}
    for case in cases:
        img, lb = random_crop(case, size, oar_bits, rng)
        bits = [b for b in oar_bits if b in case["contoured"] and ((lb >> b) & 1).any()]
        if not bits:
            continue
        x = torch.from_numpy(img)[None, None]
        feat = model.image_encoder.decode_auto(model.image_encoder.encode(x))
        logits, _ = model.class_head(feat, torch.tensor([bit_to_id[b] for b in bits]).reshape(-1, 1))
        for i, b in enumerate(bits):
            scores[b].append(dice_score((logits[i, 0] > 0).numpy(), ((lb >> b) & 1).astype(bool)))
    model.train()
    return {b: float(np.mean(v)) for b, v in scores.items() if v}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data", "openkbp"))
    ap.add_argument("--classes", default=os.path.join(HERE, "openkbp_classes.json"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--spacing", type=float, nargs=3, default=[4.0, 4.0, 2.5])
    ap.add_argument("--crop", type=int, nargs=3, default=[64, 64, 64])
    ap.add_argument("--point-minutes", type=float, default=15.0)
    ap.add_argument("--auto-minutes", type=float, default=25.0)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--error-round", type=float, default=0.3)
    ap.add_argument("--joint-auto", action="store_true", help="train the encoder in the auto stage too (deviation)")
    ap.add_argument("--save-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--bench", type=int, default=0, help="time N steps of each stage and exit")
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
    zs_bits = [9]  # PTV70: zero-shot object in the point stage
    cache = os.path.join(a.out, "cache")
    train = prepare(a.data, "train", a.spacing, cache, log)
    val = prepare(a.data, "val", a.spacing, cache, log)
    torch.manual_seed(a.seed)
    model = vista3d132(encoder_embed_dim=a.width)
    model.train()
    state = {"stage": "point", "step": 0, "elapsed": {"point": 0.0, "auto": 0.0}}
    ckpt = os.path.join(a.out, "last.pt")
    opt_state = None
    if a.resume and os.path.exists(ckpt):
        c = torch.load(ckpt, map_location="cpu")
        model.load_state_dict(c["model"])
        state = c["state"]
        opt_state = c["opt"]
        log(f"resume  {ckpt}: stage {state['stage']} step {state['step']} elapsed {state['elapsed']}")
    rng = random.Random(a.seed * 1000 + state["step"])
    budgets = {"point": a.point_minutes * 60, "auto": a.auto_minutes * 60}

    def save(opt):
        tmp = ckpt + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                    "args": vars(a)}, tmp)
        os.replace(tmp, ckpt)

    for stage in ("point", "auto"):
        if stage == "point" and state["stage"] == "auto":
            continue
        params = set_trainable(model, stage) if not (stage == "auto" and a.joint_auto) else \
            [p.requires_grad_(True) for p in model.parameters()] and list(model.parameters())
        opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=1e-5)
        if opt_state is not None and state["stage"] == stage:
            try:
                opt.load_state_dict(opt_state)
            except ValueError:  # another parameter set (e.g. resumed with --joint-auto): fresh moments
                log(f"resume  optimiser state does not fit the {stage} stage's parameters; starting it afresh")
        state["stage"] = stage
        freeze = not a.joint_auto
        t_last, losses, n_bench = time.time(), [], 0
        while state["elapsed"][stage] < budgets[stage] or a.bench:
            frac = min(1.0, state["elapsed"][stage] / max(budgets[stage], 1))
            lr = a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))  # cosine to 5 % by the stage's end
            for g in opt.param_groups:
                g["lr"] = lr
            t0 = time.time()
            case = train[rng.randrange(len(train))]
            img, lb = random_crop(case, a.crop, oar_bits + (zs_bits if stage == "point" else []), rng)
            if stage == "point":
                loss = point_step(model, img, lb, case, oar_bits, zs_bits, rng, a.error_round)
            else:
                loss = auto_step(model, img, lb, case, oar_bits, bit_to_id, freeze)
            if loss is None:
                continue
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(float(loss))
            state["step"] += 1
            state["elapsed"][stage] += time.time() - t0
            if a.bench:
                n_bench += 1
                log(f"bench   {stage} step {time.time() - t0:.2f} s loss {float(loss):.3f}")
                if n_bench >= a.bench:
                    break
                continue
            if state["step"] % 10 == 0:
                log(f"{stage:6s}  step {state['step']:5d}  loss {np.mean(losses[-10:]):.4f}  lr {lr:.2e}  "
                    f"{state['elapsed'][stage] / 60:5.1f}/{budgets[stage] / 60:.0f} min  "
                    f"{(time.time() - t_last) / 10:.2f} s/step")
                t_last = time.time()
            if state["step"] % a.save_every == 0:
                save(opt)
        if a.bench:
            continue
        save(opt)
        if stage == "auto":
            vr = quick_val(model, val, oar_bits, bit_to_id, a.crop, random.Random(7))
            log("val     crop auto Dice " + ", ".join(f"{bit_to_id[b]}:{v:.3f}" for b, v in vr.items())
                + f"  mean {np.mean(list(vr.values())):.3f}")
        opt_state = None
    if not a.bench:
        tmp = os.path.join(a.out, "weights.pt.tmp")
        torch.save(model.state_dict(), tmp)
        os.replace(tmp, os.path.join(a.out, "weights.pt"))
        log(f"done    {os.path.join(a.out, 'weights.pt')}  steps {state['step']}  elapsed "
            f"{ {k: round(v / 60, 1) for k, v in state['elapsed'].items()} } min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
