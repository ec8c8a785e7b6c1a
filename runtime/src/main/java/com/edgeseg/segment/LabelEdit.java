package com.edgeseg.segment;

import com.edgeseg.volume.LabelVolume;

/**
 * Applies what a click edit changed to a label map on the input grid, and nothing else: a voxel changes iff the
 * edited object's mask, mapped back to the input grid, differs before and after the clicks. Every other voxel keeps
 * its previous label exactly, so resampling never erodes structures the technologist did not touch.
 */
public final class LabelEdit {
    private LabelEdit() {
    }

    /**
     * @param previous the label map being edited (input grid)
     * @param before   the edited object's mask before the clicks, as the network saw it, mapped back to the input grid
     * @param after    the same after the clicks
     * @param label    the edited object's id
     * @return a new label map: {@code previous} with the object's voxels added or removed where before and after differ
     */
    public static LabelVolume apply(LabelVolume previous, LabelVolume before, LabelVolume after, int label) {
        if (!before.dims().equals(previous.dims()) || !after.dims().equals(previous.dims())) {
            throw new IllegalArgumentException("masks " + before.dims() + " / " + after.dims() + " do not fit the label map "
                    + previous.dims());
        }
        byte[] out = previous.toArray();
        for (int v = 0; v < out.length; v++) {
            int b = before.getFlat(v);
            int a = after.getFlat(v);
            if (a != b) {
                if (a == label) {
                    out[v] = (byte) label;
                } else if ((out[v] & 0xff) == label) {
                    out[v] = 0;
                }
            }
        }
        return LabelVolume.wrap(previous.geometry(), out);
    }
}
