package com.edgeseg.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export.py --classes / --preprocessing / --window: a package trained at its own spacing and window size says so in
 * its manifest (overrides merged key by key over the defaults), carries the given class table, and a misspelt
 * setting is refused (exit 2, no package left behind) instead of silently ignored.
 */
class ExportSettingsOverrideTest {
    @TempDir
    Path tmp;

    private PythonTool.Result export(Path out, String preprocessing) throws Exception {
        return PythonTool.run(List.of(PythonTool.script("export.py").toString(), "--init-seed", "1", "--width", "8",
                "--threads", "1", "--out", out.toString(),
                "--classes", PythonTool.script("openkbp_classes.json").toString(),
                "--preprocessing", preprocessing, "--window", "{\"roi\": [64, 64, 64], \"point_window\": {\"roi\": [32, 32, 16]}}"));
    }

    @Test
    void overridesAndClassTableReachTheManifest() throws Exception {
        Path out = tmp.resolve("pkg");
        PythonTool.Result r = export(out, "{\"spacing_mm\": [4.0, 4.0, 2.5], \"intensity\": {\"clip\": true}}");
        assertEquals(0, r.exitCode(), r.output());
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(4.0, m.at("/preprocessing/spacing_mm/0").asDouble());
        assertEquals(2.5, m.at("/preprocessing/spacing_mm/2").asDouble());
        assertEquals(-963.8247715525971, m.at("/preprocessing/intensity/a_min").asDouble(), "nested default kept");
        assertEquals(64, m.at("/window/roi/1").asInt());
        assertEquals(0.25, m.at("/window/overlap").asDouble(), "default kept");
        assertEquals(16, m.at("/window/point_window/roi/2").asInt(), "the optional click window reaches the manifest");
        assertEquals(5, m.at("/window/point_window/margin").asInt(), "its siblings keep their defaults");
        JsonNode table = new ObjectMapper().readTree(PythonTool.script("openkbp_classes.json").toFile());
        List<Integer> expected = new ArrayList<>();
        table.get("classes").forEach(c -> expected.add(c.get("id").asInt()));
        List<Integer> got = new ArrayList<>();
        m.get("classes").forEach(c -> got.add(c.get("id").asInt()));
        assertEquals(expected, got);
    }

    @Test
    void anUnknownSettingIsRefused() throws Exception {
        Path out = tmp.resolve("pkg");
        PythonTool.Result r = export(out, "{\"spacing\": [4.0, 4.0, 2.5]}");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("unknown key 'spacing'"), r.output());
        assertFalse(Files.exists(out), "a package folder was left behind");
    }
}
