package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./edgeseg check-vectors} on every net-* set of shared/vectors: the ONNX engines (exported from the set's
 * weights) reproduce every forward call and head cut of MONAI within the ONNX tolerance, object by object.
 */
class CheckVectorsPassesOnNetSetsTest {
    private static final Pattern LINE = Pattern.compile("^\\s+(\\S+)\\.logits\\[(\\d+)]\\s+max_rel_err (\\S+)\\s+\\(tol (\\S+)\\)\\s+(PASS|FAIL)");

    @Test
    void everyNetSetPasses() throws Exception {
        Path vectors = Path.of(System.getProperty("edgeseg.shared")).resolve("vectors");
        List<Path> sets;
        try (var s = Files.list(vectors)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("net-")).sorted().toList();
        }
        assertFalse(sets.isEmpty(), "no net-* sets under " + vectors);
        for (Path set : sets) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = Main.run(new String[] {"check-vectors", set.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, rc, set + "\n" + text + err.toString(StandardCharsets.UTF_8));
            java.util.Set<String> calls = new java.util.HashSet<>();
            for (String line : text.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.find()) {
                    calls.add(m.group(1));
                    assertTrue(Double.parseDouble(m.group(3)) <= Double.parseDouble(m.group(4)), line);
                    assertEquals("PASS", m.group(5), line);
                }
            }
            assertEquals(java.util.Set.of("auto", "point", "point_zeroshot_special", "auto_point", "class_head", "point_head"),
                    calls, "calls with compared logits in\n" + text);
            assertTrue(text.contains(set.getFileName() + ": ") && text.contains(": PASS"), text);
        }
    }
}
