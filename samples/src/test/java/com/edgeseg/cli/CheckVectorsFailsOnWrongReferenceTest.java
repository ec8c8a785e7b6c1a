package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.npy.Npy;
import com.edgeseg.io.npy.NpyArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reference that the engines do not reproduce makes check-vectors exit 1 and mark that object FAIL. */
class CheckVectorsFailsOnWrongReferenceTest {
    @Test
    void perturbedReferenceFails(@TempDir Path dir) throws Exception {
        Path a = Path.of(System.getProperty("edgeseg.shared")).resolve("vectors/net-w8-a");
        // a copy of net-w8-a whose class-head logits for the second class are off by 1e-3 of their range
        Path set = dir.resolve("net-w8-a");
        Files.createDirectories(set);
        try (var s = Files.list(a)) {
            for (Path f : s.toList()) {
                Files.copy(f, set.resolve(f.getFileName()));
            }
        }
        NpyArray ref = Npy.read(set.resolve("class_head.logits.npy"));
        float[] v = ref.toFloatArray();
        int per = v.length / (int) ref.shape()[0];
        float max = 0;
        for (int i = per; i < 2 * per; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        v[per + 17] += 1e-3f * max;
        set.resolve("class_head.logits.npy").toFile().setWritable(true);
        Npy.write(set.resolve("class_head.logits.npy"), NpyArray.of(v, ref.shape()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"check-vectors", set.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, text);
        assertTrue(text.lines().anyMatch(l -> l.contains("class_head.logits[1]") && l.endsWith("FAIL")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("class_head.logits[0]") && l.endsWith("PASS")), text);
    }
}
