# Writes small NIfTI files with nibabel and prints, per file, what nibabel + MONAI's header fix-up read back
# (shape, affine, float32 voxels in C order). Used by NiftiReadingMatchesNibabelTest.
import json, math, sys
import numpy as np
import nibabel as nib

out = sys.argv[1]
rng = np.random.default_rng(7)

def spacing(aff, r):
    s = np.sqrt(np.sum(aff[:r, :r] * aff[:r, :r], axis=0))
    s[s == 0] = 1.0
    return s

def monai_fix(img):
    # MONAI correct_nifti_header_if_necessary / rectify_header_sform_qform (1.4.0), restated
    d = int(img.header["dim"][0])
    if d >= 5:
        return img
    pixdim = np.asarray(img.header.get_zooms())[:d]
    if np.allclose(pixdim, spacing(img.affine, d)):
        return img
    sform, qform = img.get_sform(), img.get_qform()
    s_mis = not np.allclose(spacing(sform, d), pixdim)
    q_mis = not np.allclose(spacing(qform, d), pixdim)
    if img.header["sform_code"] != 0:
        if not s_mis:
            return img
        if not q_mis:
            img.set_sform(img.get_qform())
            return img
    if img.header["qform_code"] != 0:
        if not q_mis:
            return img
        if not s_mis:
            img.set_qform(img.get_sform())
            return img
    img.header.set_zooms(spacing(img.affine, d))
    return img

def rot_z(deg):
    a = math.radians(deg)
    return np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])

def aff(lin, t):
    m = np.eye(4)
    m[:3, :3] = lin
    m[:3, 3] = t
    return m

def data(dtype, shape):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is not None:
        lo, hi = max(info.min, -3000), min(info.max, 3000)
        return rng.integers(lo, hi + 1, size=shape).astype(dtype)
    return (rng.standard_normal(shape) * 500).astype(dtype)

cases = []

def case(name, dtype, shape, sform=None, scode=0, qform=None, qcode=0, pixdim=None, slope=None, inter=None,
         endian="<", version=1, gz=False):
    arr = data(dtype, shape)
    klass = nib.Nifti1Image if version == 1 else nib.Nifti2Image
    hklass = nib.Nifti1Header if version == 1 else nib.Nifti2Header
    hdr = hklass(endianness=endian)
    hdr.set_data_dtype(np.dtype(dtype).newbyteorder(endian))
    img = klass(arr.astype(np.dtype(dtype).newbyteorder(endian)), None, hdr)
    if qform is not None:
        img.set_qform(qform, code=qcode)
    else:
        img.header["qform_code"] = qcode
    if sform is not None:
        img.set_sform(sform, code=scode)
    else:
        img.header["sform_code"] = scode
    if pixdim is not None:
        img.header["pixdim"][1:1 + len(pixdim)] = pixdim
    if slope is not None:
        img.header.set_slope_inter(slope, inter)
    fn = f"{out}/{name}.nii" + (".gz" if gz else "")
    nib.save(img, fn)
    back = monai_fix(nib.load(fn))
    vox = np.asanyarray(back.dataobj).astype(np.float32)
    vox = vox.reshape(vox.shape[:3]) if vox.ndim > 3 else vox
    cases.append({"name": name, "file": fn, "shape": list(vox.shape),
                  "affine": [float(v) for v in np.asarray(back.affine, dtype=np.float64).ravel()],
                  "data": [float(v) for v in vox.ravel(order="C")]})

ob = rot_z(20.0)
case("uint8_ras", np.uint8, (5, 4, 3), sform=aff(np.diag([0.8, 0.9, 2.5]), [-10, 20.5, 3]), scode=1,
     qform=aff(np.diag([0.8, 0.9, 2.5]), [-10, 20.5, 3]), qcode=1)
case("int16_lps_scaled", np.int16, (4, 6, 3), sform=aff(np.diag([-0.7, -0.7, 3.0]), [100, 120, -50]), scode=1,
     qform=aff(np.diag([-0.7, -0.7, 3.0]), [100, 120, -50]), qcode=1, slope=2.0, inter=-1024.0)
case("int32_qform_only_oblique", np.int32, (3, 5, 4), qform=aff(ob @ np.diag([1.1, 1.2, 1.3]), [1, 2, 3]), qcode=1)
case("float32_sform_only_oblique", np.float32, (4, 3, 5), sform=aff(rot_z(-35) @ np.diag([0.6, 0.7, 2.0]), [5, -6, 7]), scode=2,
     pixdim=[0.6, 0.7, 2.0])
case("float64_neither_form", np.float64, (3, 4, 2), pixdim=[1.2, 1.3, 1.4])
case("int8_lps", np.int8, (6, 2, 3), sform=aff(np.diag([-1.0, -1.0, 1.0]), [0, 0, 0]), scode=1,
     qform=aff(np.diag([-1.0, -1.0, 1.0]), [0, 0, 0]), qcode=1)
case("uint16_big_endian", np.uint16, (3, 3, 4), sform=aff(np.diag([0.5, 0.5, 0.5]), [1, 1, 1]), scode=1,
     qform=aff(np.diag([0.5, 0.5, 0.5]), [1, 1, 1]), qcode=1, endian=">")
case("float32_scaled_gz", np.float32, (4, 4, 4), sform=aff(np.diag([1.5, 1.5, 1.5]), [0, 0, 0]), scode=1,
     qform=aff(np.diag([1.5, 1.5, 1.5]), [0, 0, 0]), qcode=1, slope=0.5, inter=10.0, gz=True)
# MONAI fix-up: sform coded but disagreeing with pixdim, qform consistent -> qform wins (stored as float32 sform)
case("fixup_sform_inconsistent_uses_qform", np.int16, (3, 4, 5), sform=aff(np.diag([2.0, 2.0, 2.0]), [9, 9, 9]), scode=1,
     qform=aff(ob @ np.diag([0.9, 0.8, 0.7]), [-3, -4, -5]), qcode=1)
# same with qform_code 0: MONAI still takes the (uncoded) qform built from pixdim and the quaternion fields
case("fixup_uncoded_qform_still_wins", np.int16, (3, 4, 5), sform=aff(np.diag([2.0, 2.0, 2.0]), [9, 9, 9]), scode=1,
     qform=aff(np.diag([0.9, 0.8, 0.7]), [-3, -4, -5]), qcode=0)
# 4-D single volume: MONAI compares a 4th "spacing" from the translation column, so the fix-up never picks the qform
case("fixup_4d_single_volume_keeps_sform", np.int16, (3, 4, 5, 1), sform=aff(np.diag([2.0, 2.0, 2.0]), [9, 9, 9]), scode=1,
     qform=aff(np.diag([0.9, 0.8, 0.7]), [-3, -4, -5]), qcode=1)
case("nifti2_float32_oblique", np.float32, (4, 3, 2), sform=aff(ob @ np.diag([0.75, 0.75, 1.25]), [1.5, -2.5, 3.5]), scode=1,
     qform=aff(ob @ np.diag([0.75, 0.75, 1.25]), [1.5, -2.5, 3.5]), qcode=1, version=2)
print(json.dumps(cases))
