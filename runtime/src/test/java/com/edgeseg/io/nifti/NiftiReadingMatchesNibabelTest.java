package com.edgeseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.testing.Python;
import com.edgeseg.volume.Volume;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by nibabel in every supported datatype, both byte orders, NIfTI-1 and -2, gzip, with and
 * without scaling, sform/qform/neither and the header inconsistencies MONAI's loader fixes up: the reader
 * must give nibabel's float32 voxels exactly and the affine MONAI ends up with (§3.1 step 1, §8 Q50).
 */
class NiftiReadingMatchesNibabelTest {
    @TempDir
    Path dir;

    @Test
    void voxelsAndAffinesMatchNibabelWithMonaiFixUp() throws Exception {
        Python.assumeModules("numpy", "nibabel");
        String script;
        try (InputStream in = getClass().getResourceAsStream("make_nibabel_cases.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode cases = new ObjectMapper().readTree(Python.check(script, List.of(dir.toString())));
        assertTrue(cases.size() >= 10, "expected the full case list");
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            Volume v = NiftiReader.read(Path.of(c.get("file").asText()));
            int[] shape = new int[3];
            for (int i = 0; i < 3; i++) {
                shape[i] = c.get("shape").get(i).asInt();
            }
            assertArrayEquals(shape, v.dims().toArray(), name + ": shape");
            double[] expected = new double[16];
            for (int i = 0; i < 16; i++) {
                expected[i] = c.get("affine").get(i).asDouble();
            }
            Affine e = Affine.of(expected);
            // nibabel builds qforms in extended precision; 1e-6 mm is far below any geometric meaning
            assertTrue(v.geometry().indexToWorld().approximatelyEquals(e, 1e-6),
                    name + ": affine " + v.geometry().indexToWorld() + " expected " + e);
            JsonNode data = c.get("data");
            assertEquals(data.size(), v.dims().voxelCount(), name);
            for (int p = 0; p < data.size(); p++) {
                assertEquals((float) data.get(p).asDouble(), v.getFlat(p), 0f, name + ": voxel " + p);
            }
        }
    }
}
