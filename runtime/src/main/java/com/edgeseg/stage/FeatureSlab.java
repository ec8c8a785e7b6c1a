package com.edgeseg.stage;

import com.edgeseg.geometry.Dims;
import com.edgeseg.network.ClassScores;
import com.edgeseg.window.Slab;

/**
 * A finished slab of an {@link AutoPass}: the blended auto features F' (C channels) and the vectors of the pass's
 * classes, from which any class's blended logits follow ({@link ClassScores}). Consumers score the classes they need
 * voxel block by voxel block, so no array of (classes x slab) is ever formed.
 *
 * @param features   the blended F', one channel per feature
 * @param embeddings {@code [classes][C]}, in the pass's class order
 */
public record FeatureSlab(Slab features, float[][] embeddings) {
    public int classCount() {
        return embeddings.length;
    }

    /** Class {@code k}'s blended logits over the whole slab (C order over the slab's dims). */
    public float[] logits(int k) {
        float[] out = new float[features.dims().voxelCount()];
        ClassScores.logit(features.channels(), embeddings[k], 0, out.length, out);
        return out;
    }

    /** Copies class {@code k}'s blended logits into their place in a whole-image array. */
    public void copyLogitsInto(int k, float[] volume, Dims image) {
        new Slab(features.axis(), features.firstPlane(), features.dims(), new float[][] {logits(k)})
                .copyInto(0, volume, image);
    }
}
