package com.edgeseg.io.npy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not little-endian C-order arrays of a supported type fail with a typed, explanatory error. */
class NpyRejectsBadFilesTest {
    private static byte[] npy(String dict, int dataBytes) {
        byte[] h = dict.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (h.length & 0xFF), (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    private static String message(Path dir, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        return e.getMessage();
    }

    @Test
    void rejectsWithReasons(@TempDir Path dir) throws Exception {
        assertTrue(message(dir, "magic.npy", "hello world, not numpy".getBytes()).contains("magic"));
        assertTrue(message(dir, "short.npy", new byte[] {(byte) 0x93, 'N'}).contains("too short"));
        assertTrue(message(dir, "big.npy", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8))
                .contains(">f4"));
        assertTrue(message(dir, "complex.npy", npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }\n", 16))
                .contains("unsupported dtype"));
        assertTrue(message(dir, "fortran.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", 16))
                .contains("Fortran"));
        byte[] ok = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }\n", 32);
        assertTrue(message(dir, "truncated.npy", Arrays.copyOf(ok, ok.length - 3)).contains("truncated"));
    }

    @Test
    void rejectsNpzThatIsNotAZip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.npz");
        Files.writeString(f, "not a zip");
        assertThrows(NpyFormatException.class, () -> Npz.read(f));
        assertThrows(NpyFormatException.class, () -> Npz.read(dir.resolve("missing.npz")));
    }
}
