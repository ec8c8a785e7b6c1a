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
        requireOnePer(channels.length, ids, "channels");
        int voxels = channels.length == 0 ? 0 : channels[0].length;
        for (float[] c : channels) {
            if (c.length != voxels) {
                throw new IllegalArgumentException("channels cover " + c.length + " and " + voxels
                        + " voxels; expected the same run of voxels in every channel");
            }
        }
        foldBlocks(voxels, (from, count, where) -> {
            for (int i = 0; i < count; i++) {
                where[i] = voxelOffset + from + i;
            }
        }, ids, (k, from, count, out) -> System.arraycopy(channels[k], from, out, 0, count));
    }

    /** Folds a stitched slab of {@code image} (along any stream axis) with the class ids of its channels. */
    public void fold(Slab slab, List<Integer> ids, Dims image) {
        requireOnePer(slab.channelCount(), ids, "channels");
        foldBlocks(slab.dims().voxelCount(), placement(slab, image), ids,
                (k, from, count, out) -> System.arraycopy(slab.channels()[k], from, out, 0, count));
    }

    /**
     * Folds a slab of blended auto features with the vectors of its classes (in {@code ids} order): each class's
     * logits are scored ({@link ClassScores}) on a block of voxels at a time and folded at once, so neither a class
     * over the slab nor the classes over a voxel block ever exist beyond one small buffer. Same result as folding
     * the slab's class logits channel by channel.
     */
    public void fold(Slab features, float[][] embeddings, List<Integer> ids, Dims image) {
        requireOnePer(embeddings.length, ids, "class vectors");
        foldBlocks(features.dims().voxelCount(), placement(features, image), ids,
                (k, from, count, out) -> ClassScores.logit(features.channels(), embeddings[k], from, count, out));
    }

    /** Where a run of a fold's source voxels lies in the label map. */
    @FunctionalInterface
    private interface Placement {
        void fill(int from, int count, int[] where);
    }

    /** Class {@code k}'s values for the source voxels {@code from .. from + count}, into {@code out[0 .. count)}. */
    @FunctionalInterface
    private interface Values {
        void fill(int k, int from, int count, float[] out);
    }

    /** A slab's voxels in {@code image}: rows along axis 2 are contiguous there whatever the stream axis. */
    private static Placement placement(Slab slab, Dims image) {
        int len = slab.dims().n2();
        return (from, count, where) -> {
            for (int i = 0; i < count; ) {
                int v = from + i;
                int at = slab.imageIndex(v, image);
                int run = Math.min(len - v % len, count - i);
                for (int c = 0; c < run; c++) {
                    where[i + c] = at + c;
                }
                i += run;
            }
        };
    }

    /**
     * The one fold loop: the source's voxels in blocks (disjoint, so they run in parallel on the common fork-join
     * pool); per block the running (best, label) is gathered, every class folded in in {@code ids} order, and the
     * result scattered back.
     */
    private void foldBlocks(int voxels, Placement placement, List<Integer> ids, Values values) {
        byte[] id = new byte[ids.size()];
        byte[] nanLabel = new byte[ids.size()];
        for (int k = 0; k < id.length; k++) {
            int c = ids.get(k);
            if (c <= 0 || c >= LabelVolume.NOT_COMPUTED) {
                throw new IllegalArgumentException("class ids must be 1..254 to fit a label map, got " + c);
            }
            id[k] = (byte) c;
            nanLabel[k] = (byte) (profile.referenceNaN() && totalChannels > 1 ? c : LabelVolume.NOT_COMPUTED);
        }
        int blocks = (voxels + BLOCK - 1) / BLOCK;
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            BlockBuffers buf = BUFFERS.get();
            int from = b * BLOCK;
            int count = Math.min(BLOCK, voxels - from);
            int[] where = buf.where;
            float[] lb = buf.best;
            byte[] ll = buf.labels;
            placement.fill(from, count, where);
            for (int i = 0; i < count; i++) {
                lb[i] = best[where[i]];
                ll[i] = labels[where[i]];
            }
            for (int k = 0; k < id.length; k++) {
                values.fill(k, from, count, buf.scores);
                foldRule(buf.scores, count, id[k], nanLabel[k], lb, ll);
            }
            for (int i = 0; i < count; i++) {
                best[where[i]] = lb[i];
                labels[where[i]] = ll[i];
            }
        });
    }

    /** Voxels folded at once: L1/L2-resident scratch arrays. */
    private static final int BLOCK = 4096;

    /** One block's scratch arrays per worker thread. */
    private static final class BlockBuffers {
        final float[] scores = new float[BLOCK];
        final float[] best = new float[BLOCK];
        final byte[] labels = new byte[BLOCK];
        final int[] where = new int[BLOCK];
    }

    private static final ThreadLocal<BlockBuffers> BUFFERS = ThreadLocal.withInitial(BlockBuffers::new);

    /**
     * The fold rule on a block's (best, label): a NaN already there stays (an earlier NaN channel decided the voxel);
     * a NaN value takes the voxel (label {@code nanLabel}); otherwise a strictly greater value wins (first maximum;
     * background where nothing exceeds 0).
     */
    private static void foldRule(float[] x, int count, byte id, byte nanLabel, float[] lb, byte[] ll) {
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

    private static void requireOnePer(int n, List<Integer> ids, String what) {
        if (n != ids.size()) {
            throw new IllegalArgumentException(n + " " + what + " but " + ids.size() + " ids");
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
            // a row along axis 2 is contiguous in the image whatever the stream axis
            System.arraycopy(labels, slab.imageIndex(r * len, image), out, r * len, len);
        }
        return out;
    }

    /** The label map (a copy). */
    public byte[] labels() {
        return Arrays.copyOf(labels, labels.length);
    }
}
