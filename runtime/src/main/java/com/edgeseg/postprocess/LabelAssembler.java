package com.edgeseg.postprocess;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.window.Slab;
import java.util.List;

/**
 * Turns per-channel logits into class ids (§3.3 steps 2-5, MONAI {@code VistaPostTransformd} + {@code nan_to_num(255)}):
 * negatives count as 0; one channel: {@code logit > 0} gives the channel's id; several: background where every
 * channel is {@code <= 0}, else the id of the first channel holding the maximum. Channel c maps to the prompt's
 * (expanded) id list, or to c + 1 without a class prompt. NaN gives {@link LabelVolume#NOT_COMPUTED} (255); with
 * several channels the reference lets a NaN channel win the argmax (Q26) - parity does the same, product writes 255.
 * Voxel-wise, so it works on any slab.
 */
public final class LabelAssembler {
    private final FidelityProfile profile;
    private final int[] ids;

    /**
     * @param profile  parity or product NaN handling
     * @param classIds id per channel (the expanded class prompt), or empty without a class prompt (ids 1, 2, ...)
     * @param channels number of channels
     */
    public LabelAssembler(FidelityProfile profile, List<Integer> classIds, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (!classIds.isEmpty() && classIds.size() != channels) {
            throw new IllegalArgumentException(classIds.size() + " class ids for " + channels + " channels");
        }
        this.profile = profile;
        this.ids = new int[channels];
        for (int c = 0; c < channels; c++) {
            int id = classIds.isEmpty() ? c + 1 : classIds.get(c);
            if (id <= 0 || id >= LabelVolume.NOT_COMPUTED) {
                throw new IllegalArgumentException("class ids must be 1..254 to fit a label map, got " + id);
            }
            ids[c] = id;
        }
    }

    /** Labels of {@code channels[c][v]}, v over the voxels. */
    public byte[] assemble(float[][] channels) {
        int n = channels[0].length;
        byte[] out = new byte[n];
        assemble(channels, out, 0);
        return out;
    }

    /** Labels of a stitched slab. */
    public byte[] assemble(Slab slab) {
        return assemble(slab.channels());
    }

    /** Writes the labels of {@code channels} into {@code out} from {@code offset}. */
    public void assemble(float[][] channels, byte[] out, int offset) {
        if (channels.length != ids.length) {
            throw new IllegalArgumentException(channels.length + " channels given, assembler built for " + ids.length);
        }
        int n = channels[0].length;
        if (channels.length == 1) {
            float[] ch = channels[0];
            byte fg = (byte) ids[0];
            for (int v = 0; v < n; v++) {
                float x = ch[v];
                out[offset + v] = Float.isNaN(x) ? (byte) LabelVolume.NOT_COMPUTED : x > 0 ? fg : 0;
            }
            return;
        }
        boolean nanWins = profile.referenceNaN();
        for (int v = 0; v < n; v++) {
            int best = -1;
            float bestVal = 0f;
            int nanChannel = -1;
            for (int c = 0; c < channels.length; c++) {
                float x = channels[c][v];
                if (Float.isNaN(x)) {
                    nanChannel = c;
                    break;
                }
                if (x > bestVal) {
                    bestVal = x;
                    best = c;
                }
            }
            int label;
            if (nanChannel >= 0) {
                label = nanWins ? ids[nanChannel] : LabelVolume.NOT_COMPUTED;
            } else {
                // all <= 0 -> background; else first channel with the maximum (strict > keeps the first)
                label = best < 0 ? 0 : ids[best];
            }
            out[offset + v] = (byte) label;
        }
    }
}
