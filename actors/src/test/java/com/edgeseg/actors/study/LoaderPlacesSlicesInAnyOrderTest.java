package com.edgeseg.actors.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.volume.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Slices of a real CT in scanner, reverse or shuffled order rebuild the CT exactly: voxels and geometry. */
class LoaderPlacesSlicesInAnyOrderTest {
    static final Volume CT = RealSeries.block();

    @ParameterizedTest
    @EnumSource(RealSeries.Order.class)
    void anyArrivalOrderBuildsTheSameVolume(RealSeries.Order order) {
        boolean int16 = order != RealSeries.Order.REVERSE; // both pixel kinds, with the header's rescale
        Loader loader = new Loader(RealSeries.spec(CT, order == RealSeries.Order.SHUFFLED), Long.MAX_VALUE);
        int received = 0;
        for (int k : RealSeries.order(CT.dims().n2(), order)) {
            assertEquals(++received, loader.accept(RealSeries.slice(CT, k, int16)).received());
        }
        Volume v = loader.endOfSeries();
        assertEquals(CT.dims(), v.dims());
        assertArrayEquals(CT.geometry().indexToWorld().toRowMajor(), v.geometry().indexToWorld().toRowMajor(), 0.0,
                "the same affine to the last bit, so the segmentation sees the same grid");
        assertArrayEquals(CT.toArray(), v.toArray(), 0f);
        assertEquals(0, loader.bytes(), "the slice buffers are released once the volume exists");
    }
}
