package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plans place exactly the windows MONAI used for the five pipeline-w8 calls (padded coordinates). */
class ReferenceWindowsTest {
    private static final Dims IMAGE = new Dims(80, 72, 48);
    private static final int[] ROI = {64, 64, 64};

    @Test
    void denseAutoCallWindows() throws IOException {
        JsonNode call = ReferenceVectors.call(ReferenceVectors.pipelineManifest(), "auto_sw");
        WindowSettings settings = WindowSettings.bundleDefaults().withRoi(Dims.of(ROI));
        assertEquals(call.at("/args/overlap").asDouble(), settings.overlap());
        SlidingWindowPlan plan = SlidingWindowPlan.of(IMAGE, settings);
        assertEquals(8, plan.padBefore()[2]);
        assertEquals(expected(call), padded(plan.windows(), plan.padBefore()));
    }

    @Test
    void pointCallWindowsInParity() throws IOException {
        JsonNode manifest = ReferenceVectors.pipelineManifest();
        for (String name : List.of("point_auto_window", "point_only_window", "zeroshot_window", "edit_prev_mask")) {
            List<Click> clicks = ReferenceVectors.clicks(name);
            PointWindowPlan plan = PointWindowPlan.of(IMAGE, ROI, clicks, 0, FidelityProfile.parity());
            List<Window> ws = plan.windows().stream().map(PointWindow::window).toList();
            assertEquals(expected(ReferenceVectors.call(manifest, name)), padded(ws, plan.padBefore()), name);
        }
    }

    @Test
    void theReferenceClickOnAWindowStartIsDroppedInParityAndKeptInProduct() throws IOException {
        // point_only_window: click 1 (h = 12) lies on the first plane of the window [12, 76) opened by the -1 click
        List<Click> clicks = ReferenceVectors.clicks("point_only_window");
        PointWindow parity = PointWindowPlan.of(IMAGE, ROI, clicks, 0, FidelityProfile.parity()).windows().get(3);
        assertEquals(3, parity.clickIndex());
        // clicks 0 and 3 (the ignore click) are inside, 1 is on the start plane, 2 on the end plane
        assertEquals(List.of(true, false, false, true), parity.inside());
        assertEquals(List.of(clicks.get(0).minus(12, 8, -8)), parity.usedClicks());

        PointWindowPlan product = PointWindowPlan.of(IMAGE, ROI, clicks, 0, FidelityProfile.product());
        assertEquals(3, product.windows().size(), "product opens no window for the ignore click");
    }

    @Test
    void aClickWindowSizedForSpeedAppliesOnlyWhereTheProfileAsks() throws IOException {
        WindowSettings s = WindowSettings.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"roi\": [128, 128, 96], \"point_window\": {\"roi\": [64, 64, 48]}}"));
        assertEquals(new Dims(64, 64, 48), s.clickRoi(com.edgeseg.fidelity.FidelityProfile.product().fastClickWindows()));
        assertEquals(new Dims(128, 128, 96), s.clickRoi(com.edgeseg.fidelity.FidelityProfile.parity().fastClickWindows()));
        InvalidWindowSettingsException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidWindowSettingsException.class,
                () -> WindowSettings.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        "{\"point_window\": {\"roi\": [64, 60, 48]}}")));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("window.point_window.roi must be positive multiples of 16"),
                e.getMessage());
    }

    @Test
    void manifestWindowNodeIsRead() throws IOException {
        JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"roi\": [64, 64, 32], \"overlap\": 0.625, \"blend\": \"gaussian\", \"sigma_scale\": 0.125,"
                        + " \"padding\": \"replicate\", \"cval\": 0.0, \"point_window\": {\"center_only\": false, \"margin\": 7}}");
        WindowSettings s = WindowSettings.fromJson(node);
        assertEquals(new Dims(64, 64, 32), s.roi());
        assertEquals(0.625, s.overlap());
        assertEquals(WindowSettings.Blend.GAUSSIAN, s.blend());
        assertEquals(WindowSettings.Padding.REPLICATE, s.padding());
        assertEquals(new WindowSettings.PointWindowSettings(false, 7), s.pointWindow());
        assertEquals(new Dims(64, 64, 32), s.clickRoi(true), "without point_window.roi clicks use the dense roi");
        assertEquals(WindowSettings.bundleDefaults(), WindowSettings.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}")));
        assertEquals(InvalidWindowSettingsException.class, org.junit.jupiter.api.Assertions.assertThrows(
                InvalidWindowSettingsException.class, () -> WindowSettings.fromJson(
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"roi\": [100, 128, 128]}")))
                .getClass());
        org.junit.jupiter.api.Assertions.assertThrows(InvalidWindowSettingsException.class, () -> WindowSettings.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"blend\": \"triangle\"}")));
    }

    private static List<List<Integer>> expected(JsonNode call) {
        List<List<Integer>> out = new ArrayList<>();
        for (JsonNode w : call.at("/args/windows_hwd_in_padded_space")) {
            out.add(List.of(w.get(0).get(0).asInt(), w.get(0).get(1).asInt(), w.get(1).get(0).asInt(),
                    w.get(1).get(1).asInt(), w.get(2).get(0).asInt(), w.get(2).get(1).asInt()));
        }
        return out;
    }

    private static List<List<Integer>> padded(List<Window> windows, int[] pad) {
        List<List<Integer>> out = new ArrayList<>();
        for (Window w : windows) {
            out.add(List.of(w.o0() + pad[0], w.end(0) + pad[0], w.o1() + pad[1], w.end(1) + pad[1],
                    w.o2() + pad[2], w.end(2) + pad[2]));
        }
        return out;
    }
}
