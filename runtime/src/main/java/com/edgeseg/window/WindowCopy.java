package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import java.util.Arrays;

/** Copies a window out of a volume, padding what lies outside it; and copies a window's values back. */
final class WindowCopy {
    private WindowCopy() {
    }

    /** Window of {@code src} (grid {@code image}); outside voxels are {@code cval} or, if {@code replicate}, the nearest edge voxel. */
    static float[] extract(float[] src, Dims image, Window w, boolean replicate, float cval) {
        if (src.length != image.voxelCount()) {
            throw new IllegalArgumentException("volume has " + src.length + " voxels, grid " + image + " needs " + image.voxelCount());
        }
        Dims s = w.size();
        float[] out = new float[s.voxelCount()];
        int n1 = image.n1();
        int n2 = image.n2();
        int k0 = Math.max(0, -w.o2());
        int k1 = Math.min(s.n2(), image.n2() - w.o2());
        for (int a = 0; a < s.n0(); a++) {
            int i = w.o0() + a;
            boolean iIn = i >= 0 && i < image.n0();
            if (!iIn && !replicate) {
                Arrays.fill(out, a * s.n1() * s.n2(), (a + 1) * s.n1() * s.n2(), cval);
                continue;
            }
            int ii = clamp(i, image.n0());
            for (int b = 0; b < s.n1(); b++) {
                int j = w.o1() + b;
                int dst = (a * s.n1() + b) * s.n2();
                boolean jIn = j >= 0 && j < n1;
                if (!jIn && !replicate) {
                    Arrays.fill(out, dst, dst + s.n2(), cval);
                    continue;
                }
                int base = (ii * n1 + clamp(j, n1)) * n2;
                if (k1 > k0) {
                    System.arraycopy(src, base + w.o2() + k0, out, dst + k0, k1 - k0);
                }
                if (replicate) {
                    for (int c = 0; c < Math.min(k0, s.n2()); c++) {
                        out[dst + c] = src[base];
                    }
                    for (int c = Math.max(k1, 0); c < s.n2(); c++) {
                        out[dst + c] = src[base + n2 - 1];
                    }
                } else {
                    Arrays.fill(out, dst, dst + Math.min(k0, s.n2()), cval);
                    if (k1 < s.n2()) {
                        Arrays.fill(out, dst + Math.max(k1, 0), dst + s.n2(), cval);
                    }
                }
            }
        }
        return out;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }
}
