package com.edgeseg.merge;

import com.edgeseg.geometry.Dims;
import java.util.Arrays;

/**
 * 26-connected component labelling of a boolean volume, numbered 1.. in raster (C) order of each component's first
 * voxel, exactly like {@code skimage.measure.label(mask, connectivity=3)}.
 *
 * <p>One raster pass with union-find over the 13 already-visited neighbours (the provisional label of a component's
 * first voxel is its smallest, and unions keep the smaller root, so roots are in raster order), then one relabelling
 * pass.
 */
public final class ConnectedComponents {
    /**
     * The labelling.
     *
     * @param ids   per voxel 0 (background) or the component id 1..count
     * @param count number of components
     */
    public record Labels(int[] ids, int count) {
    }

    private ConnectedComponents() {
    }

    public static Labels label(boolean[] mask, Dims dims) {
        int n0 = dims.n0();
        int n1 = dims.n1();
        int n2 = dims.n2();
        if (mask.length != dims.voxelCount()) {
            throw new IllegalArgumentException("mask has " + mask.length + " voxels, grid " + dims + " needs " + dims.voxelCount());
        }
        int[] ids = new int[mask.length];
        int[] parent = new int[Math.max(16, mask.length / 16)];
        int next = 1;
        int plane = n1 * n2;
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n1; j++) {
                int row = (i * n1 + j) * n2;
                for (int k = 0; k < n2; k++) {
                    int v = row + k;
                    if (!mask[v]) {
                        continue;
                    }
                    int l = 0;
                    if (k > 0 && ids[v - 1] != 0) {
                        // the left neighbour's own neighbourhood already covers columns k-1 and k of every
                        // earlier row, so only column k+1 can bring in a new label
                        l = find(parent, ids[v - 1]);
                        if (k + 1 < n2) {
                            if (j > 0) {
                                l = join(parent, l, ids[v - n2 + 1]);
                            }
                            if (i > 0) {
                                int up = v - plane + 1;
                                if (j > 0) {
                                    l = join(parent, l, ids[up - n2]);
                                }
                                l = join(parent, l, ids[up]);
                                if (j + 1 < n1) {
                                    l = join(parent, l, ids[up + n2]);
                                }
                            }
                        }
                    } else {
                        // previous row of this plane: (j-1, k-1..k+1)
                        if (j > 0) {
                            l = joinRow(ids, parent, l, v - n2, k, n2);
                        }
                        // previous plane: rows j-1, j, j+1, columns k-1..k+1
                        if (i > 0) {
                            int up = v - plane;
                            if (j > 0) {
                                l = joinRow(ids, parent, l, up - n2, k, n2);
                            }
                            l = joinRow(ids, parent, l, up, k, n2);
                            if (j + 1 < n1) {
                                l = joinRow(ids, parent, l, up + n2, k, n2);
                            }
                        }
                    }
                    if (l == 0) {
                        if (next == parent.length) {
                            parent = Arrays.copyOf(parent, parent.length * 2);
                        }
                        l = next++;
                        parent[l] = l;
                    }
                    ids[v] = l;
                }
            }
        }
        int[] finalId = new int[next];
        int count = 0;
        for (int l = 1; l < next; l++) {
            int r = find(parent, l);
            if (r == l) {
                finalId[l] = ++count;
            } else {
                finalId[l] = finalId[r];
            }
        }
        for (int v = 0; v < ids.length; v++) {
            if (ids[v] != 0) {
                ids[v] = finalId[ids[v]];
            }
        }
        return new Labels(ids, count);
    }

    /** Joins label {@code l} with the labels at columns k-1, k, k+1 of the row whose column-k voxel is {@code centre}. */
    private static int joinRow(int[] ids, int[] parent, int l, int centre, int k, int n2) {
        if (k > 0) {
            l = join(parent, l, ids[centre - 1]);
        }
        l = join(parent, l, ids[centre]);
        if (k + 1 < n2) {
            l = join(parent, l, ids[centre + 1]);
        }
        return l;
    }

    private static int join(int[] parent, int l, int other) {
        if (other == 0) {
            return l;
        }
        int r = find(parent, other);
        if (l == 0 || l == r) {
            return r;
        }
        // the smaller root survives so that roots stay in raster order of first appearance
        if (r < l) {
            parent[l] = r;
            return r;
        }
        parent[r] = l;
        return l;
    }

    private static int find(int[] parent, int x) {
        int r = x;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[x] != r) {
            int nx = parent[x];
            parent[x] = r;
            x = nx;
        }
        return r;
    }
}
