package com.edgeseg.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed, missing or unlisted file is refused, and the error names that file. */
class PackageRefusesTamperedFilesTest {
    @Test
    void changedByteIsRefusedByName(@TempDir Path dir) throws Exception {
        FakePackage.write(dir);
        Files.writeString(dir.resolve("auto_features.onnx"), "x", StandardOpenOption.APPEND);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir));
        assertEquals("auto_features.onnx", e.file());
        assertTrue(e.getMessage().contains("'auto_features.onnx'") && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void missingFileIsRefusedByName(@TempDir Path dir) throws Exception {
        FakePackage.write(dir);
        Files.delete(dir.resolve("encoder.onnx"));
        assertEquals("encoder.onnx", assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir)).file());
    }

    @Test
    void unlistedEngineFileIsRefusedByName(@TempDir Path dir) throws Exception {
        ObjectNode m = FakePackage.write(dir);
        ((ObjectNode) m.get("files")).remove("point_head.onnx");
        FakePackage.save(dir, m);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir));
        assertEquals("point_head.onnx", e.file());
        assertTrue(e.getMessage().contains("not listed"), e.getMessage());
    }

    @Test
    void anEditedManifestIsRefused(@TempDir Path dir) throws Exception {
        FakePackage.write(dir);
        String text = Files.readString(dir.resolve(ModelPackage.MANIFEST));
        // still valid JSON, one setting changed: a class table or preprocessing edit looks like this
        String edited = text.replace("\"kidney\"", "\"kidneys\"");
        assertTrue(!edited.equals(text), "the fake manifest has a class name to edit");
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), edited);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir));
        assertEquals(ModelPackage.MANIFEST, e.file());
        assertTrue(e.getMessage().contains("altered") && e.getMessage().contains("expected"), e.getMessage());
        Files.delete(dir.resolve(ModelPackage.MANIFEST_HASH));
        e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir));
        assertTrue(e.getMessage().contains("no manifest.sha256"), e.getMessage());
    }
}
