package com.edgeseg.pkg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a structurally valid package whose "ONNX" files are placeholder bytes (these tests never run them). */
final class FakePackage {
    static final ObjectMapper JSON = new ObjectMapper();

    private FakePackage() {}

    static ObjectNode write(Path dir) throws Exception {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", "edgeseg-model/2").put("name", "fake-w8").put("description", "test");
        m.putObject("architecture").put("name", "vista3d132").put("encoder_embed_dim", 8).put("in_channels", 1);
        m.putObject("preprocessing").putArray("spacing_mm").add(1.5).add(1.5).add(1.5);
        m.putObject("window").putArray("roi").add(128).add(128).add(128);
        ObjectNode c = m.putArray("classes").addObject();
        c.put("id", 2).put("name", "kidney").put("everything", false).put("special", false).put("legacy", false);
        c.putArray("group").add(5).add(14);
        c.putArray("color").add(10).add(20).add(30);
        ObjectNode engines = m.putObject("engines");
        ObjectNode files = m.putObject("files");
        for (String role : Manifest.ENGINE_ROLES) {
            ObjectNode e = engines.putObject(role).put("file", role + ".onnx");
            ObjectNode in = e.putArray("inputs").addObject().put("name", role + "_in").put("dtype", "float32");
            in.putArray("shape").add(1).add(1).add("X").add("Y").add("Z");
            ObjectNode out = e.putArray("outputs").addObject().put("name", role + "_out").put("dtype", "float32");
            out.putArray("shape").add("B").add(1).add("X").add("Y").add("Z");
            Path f = dir.resolve(role + ".onnx");
            Files.writeString(f, "placeholder for " + role);
            files.put(role + ".onnx", ModelPackage.sha256(f));
        }
        save(dir, m);
        return m;
    }

    static void save(Path dir, ObjectNode m) throws Exception {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), m);
        sign(dir);
    }

    static ArrayNode array(ObjectNode n, String f) {
        return (ArrayNode) n.get(f);
    }

    /** Writes the manifest's own hash, as export.py does. */
    static void sign(Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve(ModelPackage.MANIFEST_HASH),
                ModelPackage.sha256(dir.resolve(ModelPackage.MANIFEST)) + "  manifest.json\n");
    }
}
