package com.edgeseg.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.geometry.Dims;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** 26-connected labelling numbered in raster order of first voxels, as skimage.measure.label(connectivity=3). */
class ConnectedComponentsTest {
    @Test
    void diagonalNeighboursConnectAndIdsFollowRasterOrder() {
        Dims d = new Dims(3, 3, 4);
        boolean[] m = new boolean[d.voxelCount()];
        // component X: (0,0,3) and (1,1,2) touch by a corner -> one component, first voxel (0,0,3)
        m[d.index(0, 0, 3)] = true;
        m[d.index(1, 1, 2)] = true;
        // component Y: (0,2,0), first voxel after (0,0,3) in raster order
        m[d.index(0, 2, 0)] = true;
        // component Z: (2,0,0) and (2,1,0) (6-neighbours), not touching X (distance 2 on axis 2)
        m[d.index(2, 0, 0)] = true;
        m[d.index(2, 1, 0)] = true;
        // (2,2,3) touches X's (1,1,2) by a corner -> joins X even though it comes last
        m[d.index(2, 2, 3)] = true;
        ConnectedComponents.Labels l = ConnectedComponents.label(m, d);
        assertEquals(3, l.count());
        assertEquals(1, l.ids()[d.index(0, 0, 3)]);
        assertEquals(1, l.ids()[d.index(1, 1, 2)]);
        assertEquals(1, l.ids()[d.index(2, 2, 3)]);
        assertEquals(2, l.ids()[d.index(0, 2, 0)]);
        assertEquals(3, l.ids()[d.index(2, 0, 0)]);
        assertEquals(3, l.ids()[d.index(2, 1, 0)]);
    }

    @Test
    void aUShapeMergedLateKeepsTheEarlierId() {
        // two arms that only meet in the last plane: ids must still be assigned by first voxel
        Dims d = new Dims(3, 1, 5);
        boolean[] m = new boolean[d.voxelCount()];
        m[d.index(0, 0, 4)] = true;
        m[d.index(0, 0, 0)] = true;
        m[d.index(1, 0, 0)] = true;
        m[d.index(1, 0, 4)] = true;
        m[d.index(2, 0, 0)] = true;
        m[d.index(2, 0, 1)] = true;
        m[d.index(2, 0, 2)] = true;
        m[d.index(2, 0, 3)] = true;
        m[d.index(1, 0, 2)] = true; // separate: touches (2,0,1..3) -> joins too
        ConnectedComponents.Labels l = ConnectedComponents.label(m, d);
        assertEquals(1, l.count());
    }

    @Test
    void randomVolume256MatchesBreadthFirstLabelling() {
        Dims d = new Dims(256, 256, 256);
        // density near the 26-connected percolation regime gives many components of all sizes
        boolean[] m = random(d, 0.12, 7);
        ConnectedComponents.Labels fast = ConnectedComponents.label(m, d);
        int[] slow = bfs(m, d);
        assertArrayEquals(slow, fast.ids());
    }

    @Test
    void smallRandomVolumesAtManyDensitiesMatchBreadthFirstLabelling() {
        Dims d = new Dims(31, 17, 45);
        for (double density : new double[] {0.05, 0.2, 0.35, 0.5, 0.8}) {
            boolean[] m = random(d, density, (long) (density * 1000));
            assertArrayEquals(bfs(m, d), ConnectedComponents.label(m, d).ids(), "density " + density);
        }
    }

    /** Plain BFS labelling, ids in raster order of each component's first voxel. */
    static int[] bfs(boolean[] m, Dims d) {
        int[] ids = new int[m.length];
        int next = 0;
        int[] queue = new int[m.length];
        for (int s = 0; s < m.length; s++) {
            if (!m[s] || ids[s] != 0) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            ids[s] = next;
            while (head < tail) {
                int v = queue[head++];
                int i = v / (d.n1() * d.n2());
                int j = (v / d.n2()) % d.n1();
                int k = v % d.n2();
                for (int a = -1; a <= 1; a++) {
                    for (int b = -1; b <= 1; b++) {
                        for (int c = -1; c <= 1; c++) {
                            if (d.contains(i + a, j + b, k + c)) {
                                int u = d.index(i + a, j + b, k + c);
                                if (m[u] && ids[u] == 0) {
                                    ids[u] = next;
                                    queue[tail++] = u;
                                }
                            }
                        }
                    }
                }
            }
        }
        return ids;
    }

    private static boolean[] random(Dims dims, double density, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        boolean[] m = new boolean[dims.voxelCount()];
        for (int v = 0; v < m.length; v++) {
            m[v] = rnd.nextDouble() < density;
        }
        return m;
    }
}
