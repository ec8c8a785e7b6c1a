package com.edgeseg.pkg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest that breaks the edgeseg-model/2 contract fails with a format error saying what was expected. */
class PackageRejectsMalformedManifestTest {
    private static String fails(Path dir) {
        return assertThrows(PackageFormatException.class, () -> ModelPackage.open(dir)).getMessage();
    }

    @Test
    void missingEngineIsAFormatError(@TempDir Path dir) throws Exception {
        ObjectNode m = FakePackage.write(dir);
        ((ObjectNode) m.get("engines")).remove("point_head");
        FakePackage.save(dir, m);
        String msg = fails(dir);
        assertTrue(msg.contains("'point_head'"), msg);
    }

    @Test
    void otherContractBreaches(@TempDir Path dir) throws Exception {
        ObjectNode m = FakePackage.write(dir);
        m.put("format", "edgeseg-model/9");
        FakePackage.save(dir, m);
        assertTrue(fails(dir).contains("edgeseg-model/2"));

        m = FakePackage.write(dir);
        ((ObjectNode) m.get("architecture")).put("encoder_embed_dim", "eight");
        FakePackage.save(dir, m);
        assertTrue(fails(dir).contains("encoder_embed_dim"));

        m = FakePackage.write(dir);
        ((ObjectNode) m.get("engines").get("encoder").get("inputs").get(0)).put("dtype", "float16");
        FakePackage.save(dir, m);
        assertTrue(fails(dir).contains("dtype"));

        m = FakePackage.write(dir);
        ((ObjectNode) m.get("files")).put("../escape.onnx", "0".repeat(64));
        FakePackage.save(dir, m);
        assertTrue(fails(dir).contains("plain file names"));

        Files.writeString(dir.resolve("manifest.json"), "{ not json");
        FakePackage.sign(dir);
        assertTrue(fails(dir).contains("not valid JSON"));

        Files.delete(dir.resolve("manifest.json"));
        assertTrue(fails(dir).contains("manifest.json"));
    }
}
