package com.edgeseg.io.dicom;

import com.edgeseg.volume.Volume;
import java.util.List;
import java.util.Map;

/**
 * A CT series read from DICOM: its volume (axis 0 = column, axis 1 = row, axis 2 = slices along the normal), the
 * slices in that order and the patient/study identifiers a derived object (a DICOM-SEG) must carry to belong to the
 * same study and frame of reference.
 *
 * @param slices     one per volume slice k, in volume order
 * @param identity   attributes copied into derived objects, by keyword (PatientName, PatientID, StudyInstanceUID,
 *                   FrameOfReferenceUID, SeriesInstanceUID, ...); absent ones are empty strings
 * @param orientation ImageOrientationPatient (row direction, column direction; LPS)
 * @param pixelSpacing PixelSpacing (row spacing, column spacing) in mm
 * @param sliceStep  distance between consecutive slices along the normal, in mm
 */
public record DicomSeries(Volume volume, List<SliceRef> slices, Map<String, String> identity, double[] orientation,
                          double[] pixelSpacing, double sliceStep) {
    public DicomSeries {
        slices = List.copyOf(slices);
        identity = Map.copyOf(identity);
        orientation = orientation.clone();
        pixelSpacing = pixelSpacing.clone();
    }

    /** One source image: its SOP class and instance and its ImagePositionPatient (LPS, mm). */
    public record SliceRef(String sopClassUid, String sopInstanceUid, double[] position) {
        public SliceRef {
            position = position.clone();
        }
    }

    /** An identity attribute by keyword, or "" when the source did not have it. */
    public String get(String keyword) {
        return identity.getOrDefault(keyword, "");
    }

    /** Rows of each slice image. */
    public int rows() {
        return volume.dims().n1();
    }

    /** Columns of each slice image. */
    public int columns() {
        return volume.dims().n0();
    }
}
