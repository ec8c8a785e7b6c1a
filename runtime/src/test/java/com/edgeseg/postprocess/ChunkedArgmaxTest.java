package com.edgeseg.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.window.ReferenceVectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Folding channels chunk by chunk (and slab by slab) gives the all-channels label map exactly (Q44). */
class ChunkedArgmaxTest {
    @Test
    void chunksInChannelOrderEqualTheWholeArgmaxWithTiesAndNaN() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 7;
        int vox = 3000;
        float[][] ch = new float[n][vox];
        for (float[] c : ch) {
            for (int v = 0; v < vox; v++) {
                double r = rnd.nextDouble();
                // few distinct values -> many ties; some NaN
                c[v] = r < 0.03 ? Float.NaN : (float) (rnd.nextInt(5) - 2);
            }
        }
        List<Integer> ids = List.of(10, 20, 30, 40, 50, 60, 70);
        for (FidelityProfile p : List.of(FidelityProfile.parity(), FidelityProfile.product())) {
            byte[] whole = new LabelAssembler(p, ids, n).assemble(ch);
            ArgmaxAccumulator acc = new ArgmaxAccumulator(p, vox, n);
            int[][] chunks = {{0, 3}, {3, 4}, {4, 7}};
            for (int[] k : chunks) {
                // each chunk arrives in two slabs
                for (int[] slab : new int[][] {{0, 1234}, {1234, vox}}) {
                    float[][] part = new float[k[1] - k[0]][];
                    for (int c = k[0]; c < k[1]; c++) {
                        part[c - k[0]] = java.util.Arrays.copyOfRange(ch[c], slab[0], slab[1]);
                    }
                    acc.fold(part, ids.subList(k[0], k[1]), slab[0]);
                }
            }
            assertArrayEquals(whole, acc.labels(), p.name());
        }
    }

    @Test
    void autoCallLabelMapOneChannelAtATime() throws IOException {
        float[] flat = ReferenceVectors.load("auto_sw.logits.npy").floats();
        int per = flat.length / 3;
        ArgmaxAccumulator acc = new ArgmaxAccumulator(FidelityProfile.parity(), per, 3);
        List<Integer> ids = List.of(14, 5, 3);
        for (int c = 0; c < 3; c++) {
            acc.fold(new float[][] {java.util.Arrays.copyOfRange(flat, c * per, (c + 1) * per)}, ids.subList(c, c + 1), 0);
        }
        double[] ref = ReferenceVectors.load("auto_sw.label_map.npy").values();
        byte[] got = acc.labels();
        List<Integer> diff = new ArrayList<>();
        for (int v = 0; v < per; v++) {
            if ((got[v] & 0xFF) != (int) ref[v]) {
                diff.add(v);
            }
        }
        assertArrayEquals(new Object[0], diff.toArray());
    }
}
