package com.edgeseg.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.dicom.DicomFormatException;
import com.edgeseg.io.dicom.DicomSegWriter;
import com.edgeseg.io.dicom.DicomSeries;
import com.edgeseg.io.dicom.DicomSeriesReader;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOM-SEG written for a real CT series is read back by pydicom (an independent implementation) and checked
 * frame by frame against the label map and the source images (tools/dicom/check_seg.py): study, frame of reference
 * and patient shared, every frame at its source slice's position and referencing that image, every bit equal to
 * the label map. A label map that does not fit the series, or holds nothing, is refused and nothing is written.
 */
class DicomSegMatchesItsSourceInPydicomTest {
    @TempDir
    Path tmp;

    @Test
    void pydicomReadsTheSegAndItMatchesTheLabelsAndSource() throws Exception {
        Path folder = PythonTool.shared().resolve("data/dicom-ct/cip-ct-64/series");
        DicomSeries series = DicomSeriesReader.readSeries(folder);
        Volume ct = series.volume();
        assertEquals(ct.dims().n2(), series.slices().size());
        byte[] labels = new byte[ct.dims().voxelCount()];
        for (int v = 0; v < labels.length; v++) {
            float hu = ct.getFlat(v);
            labels[v] = (byte) (hu > 300 ? 2 : hu < -500 && hu > -990 ? 1 : 0); // bone; lung and air inside the body
        }
        LabelVolume map = LabelVolume.wrap(ct.geometry(), labels);
        Path nifti = tmp.resolve("labels.nii.gz");
        Path seg = tmp.resolve("seg.dcm");
        NiftiWriter.writeLabels(nifti, map);
        String uid = DicomSegWriter.write(seg, series, map, Map.of(1, "lung", 2, "bone"), "threshold test");
        assertTrue(uid.startsWith("2.25."), uid);
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.root().resolve("tools/dicom/check_seg.py").toString(),
                seg.toString(), folder.toString(), nifti.toString()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("2 segments") && r.output().contains("OK"), r.output());
    }

    @Test
    void aLabelMapThatDoesNotFitOrHoldsNothingIsRefused() throws Exception {
        DicomSeries series = DicomSeriesReader.readSeries(PythonTool.shared().resolve("data/dicom-ct/cip-ct-64/series"));
        Path seg = tmp.resolve("seg.dcm");
        LabelVolume empty = LabelVolume.wrap(series.volume().geometry(), new byte[series.volume().dims().voxelCount()]);
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> DicomSegWriter.write(seg, series, empty, Map.of(), "m"));
        assertTrue(e.getMessage().contains("at least one segment"), e.getMessage());
        LabelVolume small = LabelVolume.wrap(com.edgeseg.geometry.Geometry.of(new com.edgeseg.geometry.Dims(2, 2, 2),
                series.volume().geometry().indexToWorld()), new byte[8]);
        e = assertThrows(DicomFormatException.class, () -> DicomSegWriter.write(seg, series, small, Map.of(), "m"));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertFalse(Files.exists(seg));
    }
}
