package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, as a test: the shipped model segments an OpenKBP validation patient (never seen in
 * training) through the product path, and its automatic masks of the largest structures overlap the clinical
 * contours. The floor is far below the model card's numbers on purpose: it catches a broken export, preprocessing,
 * orientation or class mapping (Dice near 0), not a small regression.
 */
class ShippedModelFindsHeadAndNeckOrgansTest {
    static final Path PATIENT = CliRun.SHARED.resolve("data/openkbp/val/pt_201");
    static final double FLOOR = 0.25;

    @TempDir
    Path tmp;

    @Test
    void autoMasksOverlapTheClinicalContours() {
        Path out = tmp.resolve("seg.nii.gz");
        CliRun run = CliRun.of("segment", "--input", PATIENT.resolve("ct.nii.gz").toString(),
                "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        LabelVolume seg = NiftiReader.readLabels(out);
        Volume truth = NiftiReader.read(PATIENT.resolve("labels.nii.gz"));   // uint16 bitmask, see its README
        assertEquals(truth.dims(), seg.dims());
        // label id in the package's class table -> bit of the OpenKBP bitmask (structures.json)
        Map<Integer, Integer> largest = new LinkedHashMap<>();
        largest.put(131, 6);   // Bone_Mandible
        largest.put(18, 2);    // Parotid_R
        largest.put(129, 3);   // Parotid_L
        for (Map.Entry<Integer, Integer> e : largest.entrySet()) {
            double dice = dice(seg, e.getKey(), truth, e.getValue());
            System.out.printf("pt_201 id %d Dice %.3f%n", e.getKey(), dice);
            assertTrue(dice >= FLOOR, "id " + e.getKey() + ": Dice " + dice + " < " + FLOOR);
            assertTrue(run.out().contains(String.format("%3d ", e.getKey())), "the command names what it found");
        }
    }

    static double dice(LabelVolume seg, int id, Volume bitmask, int bit) {
        long both = 0;
        long a = 0;
        long b = 0;
        int n = seg.dims().voxelCount();
        for (int i = 0; i < n; i++) {
            boolean p = seg.getFlat(i) == id;
            boolean t = (((int) bitmask.getFlat(i)) >> bit & 1) == 1;
            a += p ? 1 : 0;
            b += t ? 1 : 0;
            both += p && t ? 1 : 0;
        }
        return a + b == 0 ? Double.NaN : 2.0 * both / (a + b);
    }
}
