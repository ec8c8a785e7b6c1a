package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./edgeseg segment} end to end on real CT from ../shared/data with the default package (width-8
 * reference-vector weights): automatic, class + clicks, clicks only, zero-shot and editing a previous map. The
 * weights are not trained, so these tests assert geometry, label sets, no "not computed" voxels, locality of
 * edits and the printed stage times, not anatomy.
 */
class SegmentEndToEndTest {
    static final Path TOTALSEG = CliRun.SHARED.resolve("data/totalseg-example/example_ct.nii.gz");
    static final Path CHEST = CliRun.SHARED.resolve("data/chest-ct/cip-ct-64/ct.nii.gz");

    @TempDir
    Path tmp;

    private static void assertSameGrid(Volume ct, LabelVolume seg) {
        assertEquals(ct.dims(), seg.dims());
        assertArrayEquals(ct.geometry().indexToWorld().toRowMajor(), seg.geometry().indexToWorld().toRowMajor(), 1e-4);
    }

    private static void assertLabelsWithin(LabelVolume seg, Set<Integer> allowed) {
        for (int id = 1; id < 256; id++) {
            if (seg.count(id) > 0) {
                assertTrue(allowed.contains(id), "unexpected label " + id);
            }
        }
    }

    @Test
    void automaticEverythingOnTheTotalSegmentatorExample() throws Exception {
        Path out = tmp.resolve("seg.nii.gz");
        CliRun run = CliRun.of("segment", "--input", TOTALSEG.toString(), "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("auto windows 1/"), "progress on stderr");
        assertTrue(run.out().contains("encoder") && run.out().contains("total"), "stage timing summary");
        Volume ct = NiftiReader.read(TOTALSEG);
        LabelVolume seg = NiftiReader.readLabels(out);
        assertSameGrid(ct, seg);
        assertEquals(0, seg.count(LabelVolume.NOT_COMPUTED), "product mode leaves no 255");
    }

    @Test
    void classWithClicksOnTheChestCtCorrectsOnlyThatClass() throws Exception {
        Path out = tmp.resolve("lung.nii.gz");
        CliRun run = CliRun.of("segment", "--model", CliRun.referenceModel(), "--input", CHEST.toString(),
                "--output", out.toString(), "--classes", "left lung upper lobe", "--click", "40,30,45,+", "--click", "20,30,40,-");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("click windows 2/2"));
        LabelVolume seg = NiftiReader.readLabels(out);
        assertSameGrid(NiftiReader.read(CHEST), seg);
        assertLabelsWithin(seg, Set.of(28));
        assertEquals(0, seg.count(LabelVolume.NOT_COMPUTED));
    }

    @Test
    void clicksOnlyAndZeroShotGiveOneObject() throws Exception {
        Path point = tmp.resolve("point.nii");
        CliRun a = CliRun.of("segment", "--input", CHEST.toString(), "--output", point.toString(),
                "--click", "32,32,40,+");
        assertEquals(0, a.exitCode(), a.err());
        assertLabelsWithin(NiftiReader.readLabels(point), Set.of(1));
        Path zero = tmp.resolve("zero.nii.gz");
        CliRun b = CliRun.of("segment", "--input", CHEST.toString(), "--output", zero.toString(),
                "--classes", "new:sarcoma", "--click", "32,32,40,+", "--click", "10,10,10,-");
        assertEquals(0, b.exitCode(), b.err());
        LabelVolume seg = NiftiReader.readLabels(zero);
        assertLabelsWithin(seg, Set.of(133));
        assertEquals(0, seg.count(LabelVolume.NOT_COMPUTED));
    }
}
