package com.edgeseg.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch re-implementation in tools/vista3d reproduces MONAI's reference vectors: check_vectors.py must pass on
 * every net-* set (all outputs compared) and on pipeline-w8 (network-level outputs compared, the rest reported as
 * skipped), printing one error line per reference output.
 */
class ReferenceNetworkVectorsTest {

    @TestFactory
    Stream<DynamicTest> checkVectorsPassesOnEveryReferenceSet() throws IOException {
        Path vectors = PythonTool.shared().resolve("vectors");
        List<Path> sets = new ArrayList<>();
        try (Stream<Path> s = Files.list(vectors)) {
            s.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .filter(p -> p.getFileName().toString().startsWith("net-")
                            || p.getFileName().toString().equals("pipeline-w8"))
                    .sorted()
                    .forEach(sets::add);
        }
        assertTrue(sets.stream().anyMatch(p -> p.getFileName().toString().startsWith("net-")),
                "no net-* vector set under " + vectors);
        return sets.stream().map(set -> DynamicTest.dynamicTest(set.getFileName().toString(), () -> check(set)));
    }

    private static void check(Path set) throws Exception {
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.script("check_vectors.py").toString(), set.toString()));
        assertEquals(0, r.exitCode(), "check_vectors.py failed on " + set + ":\n" + r.output());
        boolean netSet = set.getFileName().toString().startsWith("net-");
        JsonNode manifest = new ObjectMapper().readTree(set.resolve("manifest.json").toFile());
        int compared = 0;
        for (JsonNode call : manifest.get("calls")) {
            String callName = call.get("name").asText();
            for (Iterator<Map.Entry<String, JsonNode>> it = call.get("outputs").fields(); it.hasNext(); ) {
                String output = it.next().getKey();
                Pattern ok = Pattern.compile("(?m)^ok +" + Pattern.quote(callName) + " +" + Pattern.quote(output)
                        + " +max_rel_err [0-9.e+-]+");
                Pattern skip = Pattern.compile("(?m)^skip +" + Pattern.quote(callName) + " +" + Pattern.quote(output)
                        + " +skipped \\(pipeline-level");
                boolean isOk = ok.matcher(r.output()).find();
                if (netSet) {
                    assertTrue(isOk, "no passing error line for " + callName + "." + output);
                } else {
                    assertTrue(isOk || skip.matcher(r.output()).find(),
                            "neither an error line nor a skip line for " + callName + "." + output);
                }
                compared += isOk ? 1 : 0;
            }
        }
        assertTrue(compared > 0, "no output of " + set + " was compared");
        assertFalse(r.output().contains("FAIL"), r.output());
    }
}
