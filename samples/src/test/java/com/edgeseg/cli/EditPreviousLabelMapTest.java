package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clicks with {@code --prev} edit one class of an existing label map: every voxel that changes was or becomes
 * that class, and all other voxels keep their previous label exactly (no resampling loss).
 */
class EditPreviousLabelMapTest {
    @TempDir
    Path tmp;

    @Test
    void clicksChangeOnlyTheEditedClass() throws Exception {
        Path ct = SegmentEndToEndTest.CHEST;
        Path auto = tmp.resolve("auto.nii.gz");
        CliRun first = CliRun.of("segment", "--model", CliRun.referenceModel(), "--input", ct.toString(),
                "--output", auto.toString(),
                "--classes", "28,30,2");
        assertEquals(0, first.exitCode(), first.err());
        Path edited = tmp.resolve("edited.nii.gz");
        CliRun second = CliRun.of("segment", "--model", CliRun.referenceModel(), "--input", ct.toString(),
                "--output", edited.toString(),
                "--prev", auto.toString(), "--classes", "30", "--click", "22,30,40,+", "--click", "45,30,40,-");
        assertEquals(0, second.exitCode(), second.err());
        LabelVolume before = NiftiReader.readLabels(auto);
        LabelVolume after = NiftiReader.readLabels(edited);
        assertEquals(before.dims(), after.dims());
        long changed = 0;
        for (int v = 0; v < before.dims().voxelCount(); v++) {
            int b = before.getFlat(v);
            int a = after.getFlat(v);
            if (a != b) {
                changed++;
                assertTrue(a == 30 || b == 30, "voxel " + v + " changed " + b + " -> " + a + " without involving class 30");
            }
        }
        System.out.println("edit changed " + changed + " voxels");
        assertEquals(0, after.count(LabelVolume.NOT_COMPUTED));
    }
}
