package com.edgeseg.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.merge.KeepComponents;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.window.ReferenceVectors;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * §3.3 steps 2-5 by hand, then on MONAI's stored logits of pipeline-w8: the label maps must come out identical (the
 * inputs are MONAI's own logits, so no near-tie tolerance is needed).
 */
class LabelAssemblerTest {
    private static final Dims IMAGE = new Dims(80, 72, 48);
    private static final byte NC = (byte) LabelVolume.NOT_COMPUTED;

    @Test
    void singleChannelThresholdAtZeroWithIdOrOne() {
        float[][] logits = {{-1f, 0f, 1e-9f, 3f, Float.NaN}};
        assertArrayEquals(new byte[] {0, 0, 26, 26, NC},
                new LabelAssembler(FidelityProfile.parity(), List.of(26), 1).assemble(logits));
        assertArrayEquals(new byte[] {0, 0, 1, 1, NC},
                new LabelAssembler(FidelityProfile.product(), List.of(), 1).assemble(logits));
    }

    @Test
    void argmaxFirstMaximumWinsAndAllNonPositiveIsBackground() {
        float[][] logits = {
                {-1f, 2f, 3f, 0f, Float.NaN, 1f},
                {-2f, 2f, 1f, 0f, 5f, Float.NaN},
                {-3f, 1f, 3f, -1f, 1f, 9f}};
        byte[] parity = new LabelAssembler(FidelityProfile.parity(), List.of(14, 5, 3), 3).assemble(logits);
        // NaN channel wins the argmax in the reference (Q26)
        assertArrayEquals(new byte[] {0, 14, 14, 0, 14, 5}, parity);
        byte[] product = new LabelAssembler(FidelityProfile.product(), List.of(14, 5, 3), 3).assemble(logits);
        assertArrayEquals(new byte[] {0, 14, 14, 0, NC, NC}, product);
    }

    @Test
    void autoSlidingWindowLabelMap() throws IOException {
        float[][] ch = channels(ReferenceVectors.load("auto_sw.logits.npy").floats(), 3);
        byte[] got = new LabelAssembler(FidelityProfile.parity(), List.of(14, 5, 3), 3).assemble(ch);
        assertEquals(0, differences(got, "auto_sw.label_map.npy"));
    }

    @Test
    void pointAutoAndZeroShotLabelMapsWithNaN() throws IOException {
        byte[] a = new LabelAssembler(FidelityProfile.parity(), List.of(26), 1)
                .assemble(channels(ReferenceVectors.load("point_auto_window.logits.npy").floats(), 1));
        assertEquals(0, differences(a, "point_auto_window.label_map.npy"));
        byte[] z = new LabelAssembler(FidelityProfile.parity(), List.of(140), 1)
                .assemble(channels(ReferenceVectors.load("zeroshot_window.logits.npy").floats(), 1));
        assertEquals(0, differences(z, "zeroshot_window.label_map.npy"));
    }

    @Test
    void pointOnlyLabelMapAfterKeepingClickedComponents() throws IOException {
        float[] logits = ReferenceVectors.load("point_only_window.logits.npy").floats();
        float[] kept = KeepComponents.apply(FidelityProfile.parity(), IMAGE, logits,
                ReferenceVectors.clicks("point_only_window"));
        byte[] got = new LabelAssembler(FidelityProfile.parity(), List.of(), 1).assemble(new float[][] {kept});
        assertEquals(0, differences(got, "point_only_window.label_map.npy"));
        // the keep step mattered: without it the map differs
        byte[] raw = new LabelAssembler(FidelityProfile.parity(), List.of(), 1).assemble(new float[][] {logits});
        org.junit.jupiter.api.Assertions.assertTrue(differences(raw, "point_only_window.label_map.npy") > 0);
    }

    @Test
    void editedChannelMergedIntoTheAutoLabelMap() throws IOException {
        float[][] ch = channels(ReferenceVectors.load("auto_sw.logits.npy").floats(), 3);
        ch[2] = ReferenceVectors.load("edit_prev_mask.logits.npy").floats();
        byte[] got = new LabelAssembler(FidelityProfile.parity(), List.of(14, 5, 3), 3).assemble(ch);
        assertEquals(0, differences(got, "edit_prev_mask.merged_label_map.npy"));
    }

    private static float[][] channels(float[] flat, int n) {
        int per = flat.length / n;
        float[][] out = new float[n][per];
        for (int c = 0; c < n; c++) {
            System.arraycopy(flat, c * per, out[c], 0, per);
        }
        return out;
    }

    private static int differences(byte[] got, String file) throws IOException {
        double[] ref = ReferenceVectors.load(file).values();
        assertEquals(ref.length, got.length);
        int d = 0;
        for (int i = 0; i < ref.length; i++) {
            if ((got[i] & 0xFF) != (int) ref[i]) {
                d++;
            }
        }
        return d;
    }
}
