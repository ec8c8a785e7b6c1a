package com.edgeseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.testing.Python;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real TotalSegmentator example CT (int32, gzip, 3 mm RAS, shared/data/totalseg-example) reads with the
 * geometry and HU range its README states, and voxel for voxel like nibabel.
 */
class RealExampleCtReadingTest {
    private static Path example(String name) {
        Path p = Python.shared().resolve("data/totalseg-example").resolve(name);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(p), "missing " + p);
        return p;
    }

    @Test
    void geometryAndRangeAsDocumented() {
        Volume ct = NiftiReader.read(example("example_ct.nii.gz"));
        assertArrayEquals(new int[] {122, 101, 112}, ct.dims().toArray());
        assertEquals(ct.geometry(), NiftiReader.readGeometry(example("example_ct.nii.gz")), "header-only read gives the same geometry");
        Affine a = ct.geometry().indexToWorld();
        assertEquals(3.0, a.get(0, 0), 1e-5);
        assertEquals(3.0, a.get(1, 1), 1e-5);
        assertEquals(3.0, a.get(2, 2), 1e-5);
        assertEquals(-177.96, a.get(0, 3), 0.01);
        assertEquals(11.32, a.get(1, 3), 0.01);
        assertEquals(94.30, a.get(2, 3), 0.01);
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < ct.dims().voxelCount(); p++) {
            min = Math.min(min, ct.getFlat(p));
            max = Math.max(max, ct.getFlat(p));
        }
        assertEquals(-1207f, min);
        assertEquals(3382f, max);
    }

    @Test
    void smallCtIsSlices82To111OfTheLargeOne() {
        Volume ct = NiftiReader.read(example("example_ct.nii.gz"));
        Volume sm = NiftiReader.read(example("example_ct_sm.nii.gz"));
        assertArrayEquals(new int[] {122, 101, 30}, sm.dims().toArray());
        for (int i = 0; i < 122; i += 7) {
            for (int j = 0; j < 101; j += 5) {
                for (int k = 0; k < 30; k++) {
                    assertEquals(ct.get(i, j, 82 + k), sm.get(i, j, k));
                }
            }
        }
    }

    @Test
    void labelsReadAsUint8OnTheSameGrid() {
        LabelVolume seg = NiftiReader.readLabels(example("example_seg.nii.gz"));
        Volume sm = NiftiReader.read(example("example_ct_sm.nii.gz"));
        assertEquals(sm.dims(), seg.dims());
        assertTrue(seg.geometry().indexToWorld().approximatelyEquals(sm.geometry().indexToWorld(), 1e-6));
        assertTrue(seg.count(5) > 1000, "liver (5) present");
    }

    @Test
    void matchesNibabelVoxelForVoxel() throws Exception {
        Python.assumeModules("numpy", "nibabel");
        Path f = example("example_ct.nii.gz");
        String out = Python.check(String.join("\n",
                "import sys, nibabel as nib, numpy as np",
                "img = nib.load(sys.argv[1])",
                "a = np.asanyarray(img.dataobj).astype(np.float32)",
                "print(' '.join(repr(float(v)) for v in img.affine.ravel()))",
                "print(repr(float(a.astype(np.float64).sum())), repr(float((a.astype(np.float64) * (np.arange(a.size).reshape(a.shape) % 97 + 1)).sum())))",
                "print(' '.join(repr(float(a[i, j, k])) for (i, j, k) in [(0, 0, 0), (121, 100, 111), (60, 50, 56), (10, 90, 3)]))"),
                List.of(f.toString()));
        String[] lines = out.strip().split("\n");
        Volume ct = NiftiReader.read(f);
        String[] aff = lines[0].split(" ");
        double[] e = new double[16];
        for (int i = 0; i < 16; i++) {
            e[i] = Double.parseDouble(aff[i]);
        }
        assertTrue(ct.geometry().indexToWorld().approximatelyEquals(Affine.of(e), 1e-9), ct.geometry().indexToWorld().toString());
        double sum = 0, weighted = 0;
        int n1 = 101, n2 = 112;
        for (int i = 0; i < 122; i++) {
            for (int j = 0; j < n1; j++) {
                for (int k = 0; k < n2; k++) {
                    double v = ct.get(i, j, k);
                    sum += v;
                    weighted += v * (((i * n1 + j) * n2 + k) % 97 + 1);
                }
            }
        }
        String[] sums = lines[1].split(" ");
        assertEquals(Double.parseDouble(sums[0]), sum, 0.0);
        assertEquals(Double.parseDouble(sums[1]), weighted, 0.0, "position-weighted checksum (exact: integer HU)");
        String[] probes = lines[2].split(" ");
        int[][] at = {{0, 0, 0}, {121, 100, 111}, {60, 50, 56}, {10, 90, 3}};
        for (int p = 0; p < at.length; p++) {
            assertEquals(Float.parseFloat(probes[p]), ct.get(at[p][0], at[p][1], at[p][2]));
        }
    }
}
