#!/usr/bin/env python3
"""Check a DICOM Segmentation against its source CT series and a label map, with pydicom (independent of EdgeSeg).

    /usr/bin/python3 tools/dicom/check_seg.py SEG.dcm SERIES_DIR LABELS.nii[.gz]

LABELS is the same label map as a NIfTI on the series' grid (array axis 0 = column, 1 = row, 2 = slice sorted
along the slice normal, as EdgeSeg reads DICOM).  Checks: the SEG is Segmentation Storage, BINARY, in the source's
study and frame of reference with its patient; every frame's source image, position and orientation are the
source slice's; every frame's bits equal the label map's voxels of its segment's class (segment type code value =
class id) on that slice; and every (class, slice) with voxels has its frame.  Prints a summary; exit 0 when every
check passes, 1 otherwise, 2 on unreadable input.
"""
from __future__ import annotations

import os
import sys

import numpy as np


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    import nibabel as nib
    import pydicom
    seg_path, series_dir, labels_path = argv
    try:
        seg = pydicom.dcmread(seg_path)
        labels = np.asarray(nib.load(labels_path).dataobj).astype(np.int32)
        src = [pydicom.dcmread(os.path.join(series_dir, f)) for f in sorted(os.listdir(series_dir))
               if not f.startswith(".")]
    except Exception as e:  # noqa: BLE001 -- report any unreadable input the same way
        print(f"error: {e}", file=sys.stderr)
        return 2
    src = [d for d in src if "PixelData" in d]
    iop = np.array(src[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    src.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    check(seg.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4", f"SOPClassUID {seg.SOPClassUID}")
    check(seg.Modality == "SEG" and seg.SegmentationType == "BINARY", "Modality/SegmentationType")
    for kw in ("StudyInstanceUID", "FrameOfReferenceUID", "PatientID", "PatientName"):
        check(str(seg.get(kw, "")) == str(src[0].get(kw, "")), f"{kw} differs from the source")
    check((seg.Rows, seg.Columns) == (src[0].Rows, src[0].Columns), "Rows/Columns")
    shared = seg.SharedFunctionalGroupsSequence[0]
    check(np.allclose(np.array(shared.PlaneOrientationSequence[0].ImageOrientationPatient, float), iop, atol=1e-4),
          "ImageOrientationPatient")
    check(np.allclose(np.array(shared.PixelMeasuresSequence[0].PixelSpacing, float),
                      np.array(src[0].PixelSpacing, float), atol=1e-4), "PixelSpacing")
    ids = {int(s.SegmentNumber): int(s.SegmentedPropertyTypeCodeSequence[0].CodeValue) for s in seg.SegmentSequence}
    frames = seg.pixel_array.reshape(int(seg.NumberOfFrames), seg.Rows, seg.Columns)
    positions = [np.array(d.ImagePositionPatient, float) for d in src]
    seen = set()
    for f, fg in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        ipp = np.array(fg.PlanePositionSequence[0].ImagePositionPatient, float)
        ks = [k for k, p in enumerate(positions) if np.allclose(p, ipp, atol=1e-3)]
        if len(ks) != 1:
            problems.append(f"frame {f}: position {ipp} matches {len(ks)} source slices")
            continue
        k = ks[0]
        ref = fg.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        check(ref == src[k].SOPInstanceUID, f"frame {f}: source image {ref} is not slice {k}'s")
        want = (labels[:, :, k].T == ids[number])
        diff = int((frames[f].astype(bool) != want).sum())
        check(diff == 0, f"frame {f} (class {ids[number]}, slice {k}): {diff} pixels differ from the label map")
        seen.add((ids[number], k))
    for cid in sorted(set(np.unique(labels)) - {0, 255}):
        for k in range(labels.shape[2]):
            if (labels[:, :, k] == cid).any():
                check((int(cid), k) in seen, f"class {cid} has voxels on slice {k} but no frame")
    print(f"{seg_path}: {len(seg.SegmentSequence)} segments, {len(frames)} frames, "
          f"{len(src)} source slices: {'OK' if not problems else f'{len(problems)} problems'}")
    for p in problems[:20]:
        print("  " + p)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
