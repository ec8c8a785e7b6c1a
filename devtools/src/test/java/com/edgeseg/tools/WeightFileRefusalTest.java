package com.edgeseg.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export.py refuses weight files that do not match vista3d132 exactly: a missing tensor or a mis-shaped tensor gives
 * exit status 2, names the key, and leaves no package folder behind.
 */
class WeightFileRefusalTest {
    private static final String MISSING = "point_head.supported_embed.weight";
    private static final String MISSHAPED = "class_head.mlp.0.weight";

    @TempDir
    Path tmp;

    /** Writes a copy of net-w8-a's weights.npz with one key dropped or one tensor reshaped, using numpy. */
    private Path badWeights(String name, String edit) throws Exception {
        Path good = PythonTool.shared().resolve("vectors/net-w8-a/weights.npz");
        Path bad = tmp.resolve(name);
        String code = "import numpy as np, sys\n"
                + "z = dict(np.load(sys.argv[1]))\n"
                + edit + "\n"
                + "np.savez(sys.argv[2], **z)\n";
        PythonTool.Result r = PythonTool.run(List.of("-c", code, good.toString(), bad.toString()));
        assertEquals(0, r.exitCode(), r.output());
        return bad;
    }

    private void assertRefused(Path weights, String key, String kind) throws Exception {
        Path out = tmp.resolve("pkg");
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.script("export.py").toString(),
                "--weights", weights.toString(), "--out", out.toString()));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(key), "the offending key is not named:\n" + r.output());
        assertTrue(r.output().contains(kind), "the problem kind is not named:\n" + r.output());
        assertFalse(Files.exists(out), "a package folder was left behind");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".pkg.")), "temporary folder left behind");
        }
    }

    @Test
    void missingTensorIsRefusedWithItsKey() throws Exception {
        assertRefused(badWeights("missing.npz", "del z['" + MISSING + "']"), MISSING, "missing 1 keys");
    }

    @Test
    void misShapedTensorIsRefusedWithItsKey() throws Exception {
        assertRefused(badWeights("misshaped.npz", "z['" + MISSHAPED + "'] = z['" + MISSHAPED + "'][:, :7].copy()"),
                MISSHAPED, "mis-shaped 1 tensors");
    }
}
