package com.edgeseg.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import org.junit.jupiter.api.Test;

/** A click edit adds or removes the edited object only where its mask changed; every other label stays. */
class LabelEditChangesOnlyTheEditedObjectTest {
    private static final Geometry G = Geometry.of(new Dims(1, 1, 6), Affine.identity());

    private static LabelVolume map(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return LabelVolume.wrap(G, b);
    }

    @Test
    void onlyVoxelsWhoseMaskChangedAreTouched() {
        LabelVolume previous = map(0, 5, 7, 5, 7, 0);
        LabelVolume before = map(0, 5, 0, 5, 0, 0);  // object 5 as the network saw it
        LabelVolume after = map(5, 0, 5, 5, 0, 0);   // added at 0 and 2, removed at 1
        // voxel 2 was class 7 and the object now covers it: the edit wins there; voxel 4 (class 7) is untouched
        assertArrayEquals(new byte[] {5, 0, 5, 5, 7, 0}, LabelEdit.apply(previous, before, after, 5).toArray());
    }

    @Test
    void aRemovalNeverClearsAnotherClass() {
        LabelVolume previous = map(7, 7, 0, 0, 0, 0);
        LabelVolume before = map(5, 5, 0, 0, 0, 0);  // resampling said 5 where the map says 7
        LabelVolume after = map(0, 0, 0, 0, 0, 0);
        assertArrayEquals(new byte[] {7, 7, 0, 0, 0, 0}, LabelEdit.apply(previous, before, after, 5).toArray());
    }

    @Test
    void masksOnAnotherGridAreRefused() {
        LabelVolume other = LabelVolume.wrap(Geometry.of(new Dims(1, 2, 3), Affine.identity()), new byte[6]);
        assertThrows(IllegalArgumentException.class, () -> LabelEdit.apply(map(0, 0, 0, 0, 0, 0), other, other, 5));
    }
}
