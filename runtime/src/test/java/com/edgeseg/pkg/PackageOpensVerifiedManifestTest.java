package com.edgeseg.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.engine.Dim;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A well-formed package opens and exposes its manifest as typed values. */
class PackageOpensVerifiedManifestTest {
    @Test
    void exposesManifest(@TempDir Path dir) throws Exception {
        FakePackage.write(dir);
        ModelPackage p = ModelPackage.open(dir);
        Manifest m = p.manifest();
        assertEquals(dir.toAbsolutePath().normalize(), p.dir());
        assertEquals("fake-w8", m.name());
        assertEquals(8, m.width());
        assertEquals(List.of(new ClassInfo(2, "kidney", false, false, false, List.of(5, 14), List.of(10, 20, 30))), m.classes());
        assertEquals(1.5, m.preprocessing().get("spacing_mm").get(0).asDouble());
        assertEquals(128, m.window().get("roi").get(2).asInt());
        assertEquals(dir.resolve("point_head.onnx").toAbsolutePath().normalize(), p.engineFile(Manifest.POINT_HEAD));
        assertEquals(List.of(Dim.fixed(1), Dim.fixed(1), Dim.symbolic("X"), Dim.symbolic("Y"), Dim.symbolic("Z")),
                m.engine(Manifest.ENCODER).inputs().get(0).dims());
        assertEquals("class_embedding_out", m.engine(Manifest.CLASS_EMBEDDING).outputs().get(0).name());
    }
}
