package com.edgeseg.bench;

import com.edgeseg.merge.ConnectedComponents;

import com.edgeseg.geometry.Dims;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the labelling speed of {@link ConnectedComponents} on random volumes at a few foreground densities and on
 * a blob-like volume. Usage: {@code java ... com.edgeseg.merge.ConnectedComponentsBenchmark [size] [repeats]}.
 */
public final class ConnectedComponentsBenchmark {
    private ConnectedComponentsBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Dims dims = new Dims(n, n, n);
        System.out.printf(Locale.ROOT, "connected components (26-conn), %s = %d voxels, best of %d%n", dims,
                dims.voxelCount(), repeats);
        for (double density : new double[] {0.01, 0.1, 0.3, 0.5, 0.9}) {
            boolean[] mask = random(dims, density, 42);
            report("random density " + density, mask, dims, repeats);
        }
        report("smooth blobs", blobs(dims), dims, repeats);
    }

    private static void report(String name, boolean[] mask, Dims dims, int repeats) {
        long best = Long.MAX_VALUE;
        int count = 0;
        for (int r = 0; r < repeats + 1; r++) {
            long t0 = System.nanoTime();
            count = ConnectedComponents.label(mask, dims).count();
            long t = System.nanoTime() - t0;
            if (r > 0) {
                best = Math.min(best, t);
            }
        }
        System.out.printf(Locale.ROOT, "  %-22s %9d components  %8.1f ms  %7.1f Mvoxel/s%n", name, count, best / 1e6,
                dims.voxelCount() / (best / 1e9) / 1e6);
    }

    static boolean[] random(Dims dims, double density, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] m = new boolean[dims.voxelCount()];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextDouble() < density;
        }
        return m;
    }

    private static boolean[] blobs(Dims dims) {
        boolean[] m = new boolean[dims.voxelCount()];
        int idx = 0;
        for (int i = 0; i < dims.n0(); i++) {
            for (int j = 0; j < dims.n1(); j++) {
                for (int k = 0; k < dims.n2(); k++) {
                    m[idx++] = Math.sin(i * 0.11) + Math.sin(j * 0.07 + 1) + Math.sin(k * 0.13 + 2) > 0.8;
                }
            }
        }
        return m;
    }
}
