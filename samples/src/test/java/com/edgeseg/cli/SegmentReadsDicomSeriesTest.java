package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./edgeseg segment --input DICOM_DIR}: the original DICOM files of a real chest CT give the label map of the
 * same CT converted to NIfTI (the series reader builds the same voxels; the affines agree within 4e-4 mm).
 */
class SegmentReadsDicomSeriesTest {
    @TempDir
    Path tmp;

    @Test
    void aDicomFolderSegmentsLikeItsNiftiConversion() {
        String model = CliRun.referenceModel();
        Path fromDicom = tmp.resolve("dicom.nii.gz");
        Path fromNifti = tmp.resolve("nifti.nii.gz");
        CliRun a = CliRun.of("segment", "--input", CliRun.SHARED.resolve("data/dicom-ct/cip-ct-64/series").toString(),
                "--output", fromDicom.toString(), "--model", model, "--classes", "liver", "--threads", "2");
        assertEquals(0, a.exitCode(), a.err());
        CliRun b = CliRun.of("segment", "--input", CliRun.SHARED.resolve("data/chest-ct/cip-ct-64/ct.nii.gz").toString(),
                "--output", fromNifti.toString(), "--model", model, "--classes", "liver", "--threads", "2");
        assertEquals(0, b.exitCode(), b.err());
        LabelVolume x = NiftiReader.readLabels(fromDicom);
        LabelVolume y = NiftiReader.readLabels(fromNifti);
        assertEquals(y.dims(), x.dims());
        long differ = 0;
        for (int v = 0; v < x.dims().voxelCount(); v++) {
            differ += x.getFlat(v) != y.getFlat(v) ? 1 : 0;
        }
        System.out.println("DICOM vs NIfTI input: " + differ + " of " + x.dims().voxelCount() + " voxels differ");
        assertTrue(differ <= x.dims().voxelCount() / 1000, differ + " voxels differ");
    }
}
