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
        Files.writeString(dir.resolve("auto_head.onnx"), "x", StandardOpenOption.APPEND);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class, () -> ModelPackage.open(dir));
        assertEquals("auto_head.onnx", e.file());
        assertTrue(e.getMessage().contains("'auto_head.onnx'") && e.getMessage().contains("sha256"), e.getMessage());
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
}
