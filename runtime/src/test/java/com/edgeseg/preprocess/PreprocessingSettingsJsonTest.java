package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The manifest's "preprocessing" node (field names of the package contract) parses, and bad values are rejected by name. */
class PreprocessingSettingsJsonTest {
    private static final String BUNDLE = """
            {"spacing_mm": [1.5, 1.5, 1.5], "keep_spacing_tolerance_mm": 0.001,
             "image_interpolation": "bilinear", "padding_mode": "border",
             "foreground": {"threshold": 0.0, "margin": 10},
             "intensity": {"a_min": -963.8247715525971, "a_max": 1053.678477684517, "b_min": 0.0, "b_max": 1.0, "clip": true},
             "orientation": "RAS"}""";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void contractExampleEqualsBundleDefaults() throws Exception {
        PreprocessingSettings s = PreprocessingSettings.fromJson(json.readTree(BUNDLE));
        assertEquals(PreprocessingSettings.bundleDefaults(), s);
        assertEquals(-963.8247715525971, s.intensity().aMin());
        assertEquals(10, s.foreground().margin());
    }

    private String rejected(String path, String value) throws Exception {
        ObjectNode n = (ObjectNode) json.readTree(BUNDLE);
        String[] parts = path.split("\\.");
        ObjectNode parent = n;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        if (value == null) {
            parent.remove(parts[parts.length - 1]);
        } else {
            parent.set(parts[parts.length - 1], json.readTree(value));
        }
        JsonNode node = n;
        return assertThrows(InvalidPreprocessingSettingsException.class, () -> PreprocessingSettings.fromJson(node)).getMessage();
    }

    @Test
    void missingAndInvalidFieldsAreNamed() throws Exception {
        assertTrue(rejected("spacing_mm", null).contains("spacing_mm is missing"));
        assertTrue(rejected("spacing_mm", "[1.5, 1.5]").contains("spacing_mm"));
        assertTrue(rejected("spacing_mm", "[1.5, 0, 1.5]").contains("expected 3 values in [0.1, 20.0] mm"));
        assertTrue(rejected("spacing_mm", "[0.001, 0.001, 0.001]").contains("expected 3 values in [0.1, 20.0] mm"));
        assertTrue(rejected("image_interpolation", "\"cubic\"").contains("expected 'bilinear' or 'nearest'"));
        assertTrue(rejected("padding_mode", "\"zeros\"").contains("only 'border'"));
        assertTrue(rejected("foreground.margin", "-1").contains("margin"));
        assertTrue(rejected("foreground.margin", "2.5").contains("integer"));
        assertTrue(rejected("intensity.a_max", "-2000").contains("a_max"));
        assertTrue(rejected("intensity.clip", "\"yes\"").contains("clip"));
        assertTrue(rejected("orientation", "\"RAX\"").contains("axis codes"));
        assertTrue(rejected("orientation", "\"RRS\"").contains("axis codes"));
        assertTrue(rejected("keep_spacing_tolerance_mm", "-1").contains("keep_spacing_tolerance_mm"));
    }
}
