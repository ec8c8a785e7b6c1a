package com.edgeseg.postprocess;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.network.ClassScores;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.window.Slab;
import java.util.Arrays;
import java.util.List;

/**
 * The label step of {@link LabelAssembler} folded over chunks of channels (Q44): keeps a running (best logit, id)
 * per voxel, so that many classes can be stitched a chunk at a time with memory of one chunk plus 5 bytes per voxel.
 * Folding the chunks in channel order gives exactly {@link LabelAssembler}'s result for all channels at once: a later
 * channel replaces the best only if strictly greater (first maximum wins), background where no channel is > 0, and
 * NaN as the profile says (parity: the first NaN channel wins with several channels, 255 with one; product: 255).
 * Chunks may arrive slab by slab; every voxel must see its channels in order.
 */
public final class ArgmaxAccumulator {
    private final FidelityProfile profile;
    private final int totalChannels;
    private final float[] best;
    private final byte[] labels;

    /**
     * @param voxelCount    voxels of the whole label map
     * @param totalChannels channels that will be folded in all (1 changes the NaN rule, see the class comment)
     */
    public ArgmaxAccumulator(FidelityProfile profile, int voxelCount, int totalChannels) {
        if (totalChannels <= 0) {
            throw new IllegalArgumentException("totalChannels must be positive, got " + totalChannels);
        }
        this.profile = profile;
        this.totalChannels = totalChannels;
        this.best = new float[voxelCount];
        this.labels = new byte[voxelCount];
    }

    /**
     * Folds channels (each over the same run of voxels starting at {@code voxelOffset}) with their class ids.
     */
    public void fold(float[][] channels, List<Integer> ids, int voxelOffset) {
        fold(channels, ids, voxelOffset, null);
    }

    /** Folds a stitched slab of {@code image} (along any stream axis) with the class ids of its channels. */
    public void fold(Slab slab, List<Integer> ids, Dims image) {
        if (slab.axis() == 0) {
            fold(slab.channels(), ids, slab.firstPlane() * image.n1() * image.n2(), null);
            return;
        }
        Dims d = slab.dims();
        int[] where = new int[d.voxelCount()];
        int len = d.n2();
        for (int r = 0; r < d.n0() * d.n1(); r++) {
            int at = slab.imageIndex(r * len, image);
            for (int c = 0; c < len; c++) {
                where[r * len + c] = at + c;
            }
        }
        fold(slab.channels(), ids, 0, where);
    }

    /**
     * Folds a slab of blended auto features with the vectors of its classes (in {@code ids} order): each class's
     * logits are scored ({@link ClassScores}) on a block of voxels at a time and folded into the block's running
     * (best, label) at once, so neither a class over the slab nor the classes over a voxel block ever exist beyond
     * one small buffer. Blocks are disjoint voxel sets and run in parallel (common fork-join pool). Same result as
     * folding the slab's class logits channel by channel.
     */
    public void fold(Slab features, float[][] embeddings, List<Integer> ids, Dims image) {
        if (embeddings.length != ids.size()) {
            throw new IllegalArgumentException(embeddings.length + " class vectors but " + ids.size() + " ids");
        }
        int[] idArray = new int[ids.size()];
        byte[] nanLabels = new byte[ids.size()];
        for (int k = 0; k < idArray.length; k++) {
            checkId(ids.get(k));
            idArray[k] = ids.get(k);
            nanLabels[k] = nanLabel(idArray[k]);
        }
        Dims d = features.dims();
        int len = d.n2();
        int rows = d.n0() * d.n1();
        int rowsPerBlock = Math.max(1, BLOCK / len);
        int blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            BlockBuffers buf = BUFFERS.get();
            buf.ensure(rowsPerBlock * len);
            int r0 = b * rowsPerBlock;
            int count = Math.min(rowsPerBlock, rows - r0) * len;
            int from = r0 * len;
            int[] where = buf.where;
            for (int v = 0; v < count; v += len) {
                int at = features.imageIndex(from + v, image);
                for (int c = 0; c < len; c++) {
                    where[v + c] = features.axis() == 2 ? at + c : features.imageIndex(from + v + c, image);
                }
            }
            float[] lb = buf.best;
            byte[] ll = buf.labels;
            for (int i = 0; i < count; i++) {
                lb[i] = best[where[i]];
                ll[i] = labels[where[i]];
            }
            for (int k = 0; k < embeddings.length; k++) {
                ClassScores.logit(features.channels(), embeddings[k], from, count, buf.scores);
                foldLocal(buf.scores, count, (byte) idArray[k], nanLabels[k], lb, ll);
            }
            for (int i = 0; i < count; i++) {
                best[where[i]] = lb[i];
                labels[where[i]] = ll[i];
            }
        });
    }

    /** Voxels scored at once by {@link #fold(Slab, float[][], List, Dims)}: a few rows, L1/L2-resident. */
    private static final int BLOCK = 4096;

    /** One block's scratch arrays per worker thread. */
    private static final class BlockBuffers {
        float[] scores = new float[0];
        float[] best = new float[0];
        byte[] labels = new byte[0];
        int[] where = new int[0];

        void ensure(int n) {
            if (scores.length < n) {
                scores = new float[n];
                best = new float[n];
                labels = new byte[n];
                where = new int[n];
            }
        }
    }

    private static final ThreadLocal<BlockBuffers> BUFFERS = ThreadLocal.withInitial(BlockBuffers::new);

    /**
     * The fold rule on a block's own (best, label) arrays: a NaN already there stays; a NaN value takes the voxel
     * (label {@code nanLabel}); otherwise a strictly greater value wins (first maximum, background below 0).
     */
    private static void foldLocal(float[] x, int count, byte id, byte nanLabel, float[] lb, byte[] ll) {
        for (int i = 0; i < count; i++) {
            float cur = lb[i];
            float xi = x[i];
            if (xi > cur) {
                lb[i] = xi;
                ll[i] = id;
            } else if (xi != xi && cur == cur) {
                lb[i] = Float.NaN;
                ll[i] = nanLabel;
            }
        }
    }

    private byte nanLabel(int id) {
        return (byte) (profile.referenceNaN() && totalChannels > 1 ? id : LabelVolume.NOT_COMPUTED);
    }

    private static void checkId(int id) {
        if (id <= 0 || id >= LabelVolume.NOT_COMPUTED) {
            throw new IllegalArgumentException("class ids must be 1..254 to fit a label map, got " + id);
        }
    }

    private void fold(float[][] channels, List<Integer> ids, int voxelOffset, int[] where) {
        if (channels.length != ids.size()) {
            throw new IllegalArgumentException(channels.length + " channels but " + ids.size() + " ids");
        }
        for (int c = 0; c < channels.length; c++) {
            checkId(ids.get(c));
            foldRun(channels[c], channels[c].length, ids.get(c), voxelOffset, where);
        }
    }

    /** Folds one class's values {@code x[0..count)} at voxels {@code where[i]} (or {@code voxelOffset + i}). */
    private void foldRun(float[] x, int count, int id, int voxelOffset, int[] where) {
        byte nanLabel = nanLabel(id);
        for (int i = 0; i < count; i++) {
            int v = where == null ? voxelOffset + i : where[i];
            float cur = best[v];
            if (Float.isNaN(cur)) {
                continue; // an earlier NaN channel decided this voxel
            }
            float xi = x[i];
            if (Float.isNaN(xi)) {
                best[v] = Float.NaN;
                labels[v] = nanLabel;
            } else if (xi > cur) {
                best[v] = xi;
                labels[v] = (byte) id;
            }
        }
    }

    /**
     * The labels of a slab already folded in (all its channels of every pass), C order over the slab's dims: what
     * a streaming pipeline hands on as soon as the slab is decided.
     */
    public byte[] labelsOf(Slab slab, Dims image) {
        byte[] out = new byte[slab.dims().voxelCount()];
        int len = slab.dims().n2();
        for (int r = 0; r < out.length / len; r++) {
            int at = slab.imageIndex(r * len, image);
            if (slab.axis() == 2) {
                System.arraycopy(labels, at, out, r * len, len);
            } else {
                for (int c = 0; c < len; c++) {
                    out[r * len + c] = labels[slab.imageIndex(r * len + c, image)];
                }
            }
        }
        return out;
    }

    /** The label map (a copy). */
    public byte[] labels() {
        return Arrays.copyOf(labels, labels.length);
    }
}
