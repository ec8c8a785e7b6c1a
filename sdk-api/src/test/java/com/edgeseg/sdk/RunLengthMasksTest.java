package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The run-length coding of masks on the wire: docs/api.md's worked examples, round trips, and refused overruns. */
class RunLengthMasksTest {
    @Test
    void theDocumentedExamples() {
        assertArrayEquals(new byte[] {0, 2, 7, 3, 0, 1}, Wire.rle(new byte[] {0, 0, 7, 7, 7, 0}));
        assertArrayEquals(new byte[] {0, (byte) 0xAC, 0x02}, Wire.rle(new byte[300]));
    }

    @Test
    void masksRoundTripAndShrink() {
        Random r = new Random(3);
        byte[] mask = new byte[512 * 512 * 30];
        for (int blob = 0; blob < 40; blob++) {
            int at = r.nextInt(mask.length - 4000);
            java.util.Arrays.fill(mask, at, at + 1 + r.nextInt(4000), (byte) (1 + r.nextInt(7)));
        }
        byte[] coded = Wire.rle(mask);
        assertArrayEquals(mask, Wire.unrle(ByteString.copyFrom(coded), mask.length));
        assertTrue(coded.length * 100L < mask.length, coded.length + " bytes for " + mask.length + " labels");
    }

    @Test
    void runsThatOverrunTheSlabAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Wire.unrle(ByteString.copyFrom(new byte[] {1, 9}), 4));
        assertThrows(IllegalArgumentException.class, () -> Wire.unrle(ByteString.copyFrom(new byte[] {1, 3}), 4));
    }
}
