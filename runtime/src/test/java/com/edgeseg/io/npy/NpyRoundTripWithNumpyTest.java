package com.edgeseg.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files numpy writes read back to the same values; files EdgeSeg writes load in numpy and are byte-identical. */
class NpyRoundTripWithNumpyTest {
    private static final String MAKE = """
            import numpy as np
            a = {
              'f32': (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.37) - 3).astype(np.float32),
              'f64': np.array([[1e-300, -2.5], [np.pi, 7e200]], dtype=np.float64),
              'i64': np.array([-(2**62), -1, 0, 2**40 + 3], dtype=np.int64),
              'i32': np.array([[-(2**31), 5, 2**31 - 1]], dtype=np.int32),
              'u8': np.array([0, 1, 254, 255, 128], dtype=np.uint8).reshape(5, 1, 1),
              'b': np.array([True, False, False, True]),
              'scalar': np.float32(1.5).reshape(()),
              'empty': np.zeros((0, 3), np.int64),
            }
            for k, v in a.items():
                np.save('py_' + k + '.npy', v)
            np.savez_compressed('both.npz', first=a['f32'], second=a['i64'])
            """;

    @Test
    void numpyFilesReadToTheirValues(@TempDir Path dir) throws Exception {
        Python.run(dir, MAKE);
        NpyArray f32 = Npy.read(dir.resolve("py_f32.npy"));
        assertEquals(NpyDType.FLOAT32, f32.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, f32.shape());
        float[] fv = f32.toFloatArray();
        for (int i = 0; i < 24; i++) {
            assertEquals((float) i * 0.37f - 3f, fv[i], 0f, "element " + i);
        }
        assertArrayEquals(new double[] {1e-300, -2.5, Math.PI, 7e200}, Npy.read(dir.resolve("py_f64.npy")).toDoubleArray());
        assertArrayEquals(new long[] {-(1L << 62), -1, 0, (1L << 40) + 3}, Npy.read(dir.resolve("py_i64.npy")).toLongArray());
        NpyArray i32 = Npy.read(dir.resolve("py_i32.npy"));
        assertEquals(NpyDType.INT32, i32.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5, Integer.MAX_VALUE}, i32.toIntArray());
        NpyArray u8 = Npy.read(dir.resolve("py_u8.npy"));
        assertArrayEquals(new long[] {5, 1, 1}, u8.shape());
        assertArrayEquals(new long[] {0, 1, 254, 255, 128}, u8.toLongArray());
        NpyArray b = Npy.read(dir.resolve("py_b.npy"));
        assertEquals(NpyDType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {true, false, false, true}, b.toBooleanArray());
        NpyArray scalar = Npy.read(dir.resolve("py_scalar.npy"));
        assertEquals(0, scalar.shape().length);
        assertEquals(1.5f, scalar.toFloatArray()[0]);
        assertArrayEquals(new long[] {0, 3}, Npy.read(dir.resolve("py_empty.npy")).shape());

        Map<String, NpyArray> z = Npz.read(dir.resolve("both.npz"));
        assertEquals(java.util.List.of("first", "second"), java.util.List.copyOf(z.keySet()));
        assertArrayEquals(fv, z.get("first").toFloatArray());
        assertArrayEquals(new long[] {-(1L << 62), -1, 0, (1L << 40) + 3}, z.get("second").toLongArray());
    }

    @Test
    void writtenFilesAreByteIdenticalToNumpys(@TempDir Path dir) throws Exception {
        Python.run(dir, MAKE);
        for (String k : new String[] {"f32", "f64", "i64", "i32", "u8", "b", "scalar", "empty"}) {
            NpyArray a = Npy.read(dir.resolve("py_" + k + ".npy"));
            Npy.write(dir.resolve("java_" + k + ".npy"), a);
            assertArrayEquals(Files.readAllBytes(dir.resolve("py_" + k + ".npy")),
                    Files.readAllBytes(dir.resolve("java_" + k + ".npy")), k);
        }
    }

    @Test
    void javaArraysLoadInNumpy(@TempDir Path dir) throws Exception {
        Npy.write(dir.resolve("f.npy"), NpyArray.of(new float[] {1.25f, -0f, Float.NaN, 3e38f, 1e-45f, 7f}, 3, 2));
        Npy.write(dir.resolve("d.npy"), NpyArray.of(new double[] {Math.E}, 1));
        Npy.write(dir.resolve("l.npy"), NpyArray.of(new long[] {Long.MIN_VALUE, 9}, 2));
        Npy.write(dir.resolve("i.npy"), NpyArray.of(new int[] {-7, 8}, 1, 2));
        Npy.write(dir.resolve("u.npy"), NpyArray.ofUint8(new byte[] {(byte) 255, 0, 26}, 3));
        Npy.write(dir.resolve("b.npy"), NpyArray.of(new boolean[] {false, true}, 2));
        String out = Python.run(dir, """
                import numpy as np, math
                f = np.load('f.npy'); assert f.dtype == np.float32 and f.shape == (3, 2)
                assert f[0, 0] == 1.25 and math.copysign(1, f[0, 1]) < 0 and np.isnan(f[1, 0]) and f[2, 1] == 7
                assert f[1, 1] == np.float32(3e38) and f[2, 0] == np.float32(1e-45)
                d = np.load('d.npy'); assert d.dtype == np.float64 and d[0] == math.e
                l = np.load('l.npy'); assert l.dtype == np.int64 and l.tolist() == [-2**63, 9]
                i = np.load('i.npy'); assert i.dtype == np.int32 and i.tolist() == [[-7, 8]]
                u = np.load('u.npy'); assert u.dtype == np.uint8 and u.tolist() == [255, 0, 26]
                b = np.load('b.npy'); assert b.dtype == np.bool_ and b.tolist() == [False, True]
                print('numpy-ok')
                """);
        assertTrue(out.contains("numpy-ok"), out);
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
