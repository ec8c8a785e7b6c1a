package com.edgeseg.network;

/**
 * Scores classes on auto features: the class head's logit of class k at voxel v is {@code Σ_c e_k[c] · F'[c][v]}, a
 * plain dot product with no bias (reference §2.3). Because it is linear in F', the blend of the windows' logits
 * {@code Σ_i w_i logit_i / Σ_i w_i} equals the logit of the blended features, so a pipeline blends C feature channels
 * (8 at width 8) instead of one channel per class (117 for "everything") and scores each voxel once, after the blend.
 *
 * <p>The sums run over c in ascending order in float, like the class head's MatMul; results agree with it to float
 * rounding. Loops are over primitive arrays with the voxel index innermost, so the JIT vectorises them.
 */
public final class ClassScores {
    private ClassScores() {}

    /**
     * Logits of every class on {@code voxels} voxels: {@code features} is {@code [C][voxels]} flattened (C = the
     * embeddings' length), {@code out} is {@code [classes][voxels]} flattened.
     */
    public static void logits(float[] features, int channels, int voxels, float[][] embeddings, float[] out) {
        if ((long) channels * voxels != features.length || (long) embeddings.length * voxels != out.length) {
            throw new IllegalArgumentException("features " + features.length + " / out " + out.length + " values do not fit "
                    + channels + " channels, " + embeddings.length + " classes of " + voxels + " voxels");
        }
        for (float[] e : embeddings) {
            checked(e, channels);
        }
        // classes are independent rows of the output: score them in parallel (common fork-join pool)
        java.util.stream.IntStream.range(0, embeddings.length).parallel().forEach(k -> {
            float[] e = embeddings[k];
            int o = k * voxels;
            for (int v = 0; v < voxels; v++) {
                out[o + v] = e[0] * features[v];
            }
            for (int c = 1; c < channels; c++) {
                float ec = e[c];
                int f = c * voxels;
                for (int v = 0; v < voxels; v++) {
                    out[o + v] += ec * features[f + v];
                }
            }
        });
    }

    /**
     * One class's logits over a run of voxels: {@code channels[c]} holds feature c (the layout of a stitched slab),
     * {@code out} receives {@code count} logits for voxels {@code from .. from + count} of those arrays.
     */
    public static void logit(float[][] channels, float[] embedding, int from, int count, float[] out) {
        float[] e = checked(embedding, channels.length);
        float[] f0 = channels[0];
        for (int v = 0; v < count; v++) {
            out[v] = e[0] * f0[from + v];
        }
        for (int c = 1; c < channels.length; c++) {
            float ec = e[c];
            float[] fc = channels[c];
            for (int v = 0; v < count; v++) {
                out[v] += ec * fc[from + v];
            }
        }
    }

    private static float[] checked(float[] embedding, int channels) {
        if (embedding.length != channels) {
            throw new IllegalArgumentException("class embedding has " + embedding.length + " values, expected C = " + channels);
        }
        return embedding;
    }
}
