package com.edgeseg.pkg;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.edgeseg.EdgeSegException;
import com.edgeseg.preprocess.PreprocessingSettings;
import com.edgeseg.window.WindowSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of the shipped model's real manifest (values set to extremes, wrong types, NULs and path
 * escapes in names, keys removed, bytes flipped): opening the package and reading its preprocessing and window
 * settings either succeeds or throws a typed {@link EdgeSegException}; never another exception. The engine files
 * are small placeholders listed with their real hashes, so every case reaches the manifest's contents.
 */
class PackageLoaderFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CASES = 2000;

    @TempDir
    Path dir;

    private ObjectNode seed() throws Exception {
        Path models = Path.of(System.getProperty("edgeseg.root", "..")).resolve("models");
        String name = Files.readString(models.resolve("DEFAULT")).trim();
        ObjectNode m = (ObjectNode) JSON.readTree(models.resolve(name).resolve(ModelPackage.MANIFEST).toFile());
        ObjectNode files = JSON.createObjectNode();
        for (var it = m.get("files").fieldNames(); it.hasNext(); ) {
            String f = it.next();
            Path p = dir.resolve(f);
            Files.writeString(p, "placeholder for " + f);
            files.put(f, ModelPackage.sha256(p));
        }
        m.set("files", files);
        return m;
    }

    private static JsonNode extreme(Random rnd) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (rnd.nextInt(12)) {
            case 0 -> f.numberNode(0);
            case 1 -> f.numberNode(-1);
            case 2 -> f.numberNode(1e-3);
            case 3 -> f.numberNode(1e12);
            case 4 -> f.numberNode(Long.MAX_VALUE);
            case 5 -> f.textNode("");
            case 6 -> f.textNode("a\u0000b");
            case 7 -> f.textNode("../../etc/passwd");
            case 8 -> f.arrayNode();
            case 9 -> f.objectNode();
            case 10 -> f.nullNode();
            default -> f.booleanNode(true);
        };
    }

    /** Replaces or removes one randomly chosen value somewhere in {@code node} (descending from the top). */
    private static void mutate(JsonNode node, Random rnd) {
        JsonNode cur = node;
        while (true) {
            List<Object> keys = new ArrayList<>();
            if (cur instanceof ObjectNode o) {
                o.fieldNames().forEachRemaining(keys::add);
            } else if (cur instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    keys.add(i);
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            Object k = keys.get(rnd.nextInt(keys.size()));
            JsonNode child = k instanceof String s ? cur.get(s) : cur.get((Integer) k);
            if (child.isContainerNode() && rnd.nextInt(3) > 0) {
                cur = child;
                continue;
            }
            boolean remove = rnd.nextInt(5) == 0;
            if (cur instanceof ObjectNode o) {
                if (remove) {
                    o.remove((String) k);
                } else {
                    o.set((String) k, extreme(rnd));
                }
            } else {
                ArrayNode a = (ArrayNode) cur;
                if (remove) {
                    a.remove((Integer) k);
                } else {
                    a.set((Integer) k, extreme(rnd));
                }
            }
            return;
        }
    }

    @Test
    void mutatedManifestsOpenOrGiveTypedErrors() throws Exception {
        ObjectNode seed = seed();
        Random rnd = new Random(20261203);
        int typed = 0;
        long t0 = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            ObjectNode m = seed.deepCopy();
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                mutate(m, rnd);
            }
            byte[] text = JSON.writeValueAsBytes(m);
            if (rnd.nextInt(10) == 0) {
                text[rnd.nextInt(text.length)] = (byte) rnd.nextInt(256);
            }
            Files.write(dir.resolve(ModelPackage.MANIFEST), text);
            FakePackage.sign(dir); // a consistently signed but malformed package reaches every check
            try {
                ModelPackage pkg = ModelPackage.open(dir);
                PreprocessingSettings.fromJson(pkg.manifest().preprocessing());
                WindowSettings.fromJson(pkg.manifest().window());
            } catch (EdgeSegException expected) {
                typed++;
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            } catch (Throwable t) {
                fail("case " + c + " (" + new String(text, StandardCharsets.UTF_8).substring(0, 0) + "): " + t
                        + " is not a typed error", t);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("package fuzz: %d cases, %d typed errors, %.1f s%n", CASES, typed, s);
        assertTrue(typed > CASES / 10, "the mutations do hit the checks");
    }

    /** The rows of the hardening issue that used to leak as internal errors. */
    @Test
    void namedBadManifestsAreTypedAndSayWhatWasExpected() throws Exception {
        ObjectNode seed = seed();
        ObjectNode fine = seed.deepCopy();
        ((ArrayNode) fine.with("preprocessing").withArray("spacing_mm")).removeAll().add(0.001).add(0.001).add(0.001);
        expectTyped(fine, "spacing_mm");
        ObjectNode noClasses = seed.deepCopy();
        noClasses.putArray("classes");
        expectTyped(noClasses, "at least one class");
        ObjectNode nul = seed.deepCopy();
        ((ObjectNode) nul.get("files")).put("enc\u0000oder.onnx", "0".repeat(64));
        expectTyped(nul, "plain file names");
    }

    private void expectTyped(ObjectNode manifest, String fragment) throws Exception {
        Files.write(dir.resolve(ModelPackage.MANIFEST), JSON.writeValueAsBytes(manifest));
        FakePackage.sign(dir);
        try {
            ModelPackage pkg = ModelPackage.open(dir);
            PreprocessingSettings.fromJson(pkg.manifest().preprocessing());
            WindowSettings.fromJson(pkg.manifest().window());
            fail("accepted a manifest with " + fragment);
        } catch (EdgeSegException e) {
            assertTrue(e.getMessage().contains(fragment)
                    && (e.getMessage().contains("expected") || e.getMessage().contains("must be")), e.getMessage());
        }
    }
}
