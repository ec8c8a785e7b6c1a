package com.edgeseg.actors.study;

import com.edgeseg.geometry.Dims;
import com.edgeseg.volume.LabelVolume;
import java.util.Optional;

/** A box of scanner-grid voxels, half-open: [i0, i1) x [j0, j1) x [k0, k1) (column, row, slice). */
public record MaskBox(int i0, int i1, int j0, int j1, int k0, int k1) {

    /** The smallest box that holds every voxel where {@code a} and {@code b} differ, or empty if none does. */
    public static Optional<MaskBox> ofChange(LabelVolume a, LabelVolume b) {
        Dims d = a.dims();
        if (!d.equals(b.dims())) {
            throw new IllegalArgumentException("masks on different grids: " + d + " and " + b.dims());
        }
        int[] mn = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] mx = {-1, -1, -1};
        int v = 0;
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                for (int k = 0; k < d.n2(); k++, v++) {
                    if (a.getFlat(v) != b.getFlat(v)) {
                        mn[0] = Math.min(mn[0], i);
                        mx[0] = Math.max(mx[0], i);
                        mn[1] = Math.min(mn[1], j);
                        mx[1] = Math.max(mx[1], j);
                        mn[2] = Math.min(mn[2], k);
                        mx[2] = Math.max(mx[2], k);
                    }
                }
            }
        }
        if (mx[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new MaskBox(mn[0], mx[0] + 1, mn[1], mx[1] + 1, mn[2], mx[2] + 1));
    }

    public int voxelCount() {
        return (i1 - i0) * (j1 - j0) * (k1 - k0);
    }

    public boolean contains(int i, int j, int k) {
        return i >= i0 && i < i1 && j >= j0 && j < j1 && k >= k0 && k < k1;
    }

    /** The labels of {@code m} inside this box, C order over (i, j, k). */
    public byte[] copyFrom(LabelVolume m) {
        byte[] out = new byte[voxelCount()];
        int p = 0;
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                for (int k = k0; k < k1; k++) {
                    out[p++] = (byte) m.get(i, j, k);
                }
            }
        }
        return out;
    }

    /** {@code m} with this box's voxels replaced by {@code labels} (as {@link #copyFrom} orders them). */
    public LabelVolume paste(LabelVolume m, byte[] labels) {
        byte[] all = m.toArray();
        Dims d = m.dims();
        int p = 0;
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                for (int k = k0; k < k1; k++) {
                    all[d.index(i, j, k)] = labels[p++];
                }
            }
        }
        return LabelVolume.wrap(m.geometry(), all);
    }
}
