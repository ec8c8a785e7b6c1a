package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.testing.Python;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent implementation — MONAI's grid rule restated in NumPy (including its origin fallback, which
 * float32-stored oblique affines trigger: their tiny non-orthogonality exceeds the 1e-8 test, so the grid is
 * centre-aligned), scipy {@code map_coordinates(order=1, mode='nearest')} on {@code inv(A)·A'}, nibabel's
 * orientation transform — gives the same network image
 * (to float32 rounding) and the same network affine as the Java pipeline, on small volumes with odd
 * spacings, flipped, permuted and oblique directions.
 */
class ResamplingMatchesScipyTest {
    private static final String SCRIPT = String.join("\n",
            "import sys, numpy as np, nibabel as nib",
            "from scipy.ndimage import map_coordinates",
            "src = nib.load(sys.argv[1]); A = src.affine.astype(np.float64)",
            "x = np.asanyarray(src.dataobj).astype(np.float64); n = np.array(x.shape)",
            "s = np.sqrt((A[:3, :3] ** 2).sum(0)); tgt = np.where(np.abs(s - 1.5) <= 1e-3, s, 1.5)",
            "Z = np.linalg.cholesky(A[:3, :3].T @ A[:3, :3]).T",
            "Ap = np.eye(4); Ap[:3, :3] = A[:3, :3] @ np.linalg.inv(Z) @ np.diag(tgt)",
            // MONAI compute_shape_offset (1.4.0), restated: corner centres, half-even size, origin rule
            "corners = np.asarray(np.meshgrid(*[(0.0, d - 1.0) for d in n], indexing='ij')).reshape(3, -1)",
            "world = A[:3, :3] @ corners + A[:3, 3:4]",
            "inv = np.linalg.inv(Ap); out = inv[:3, :3] @ world",
            "shape = np.round(out.max(1) - out.min(1) + 1.0).astype(int)",
            "offset = None",
            "for i in range(8):",
            "    if np.allclose(np.min(out - out[:, i:i + 1], 1), 0.0, rtol=1e-3):",
            "        offset = world[:, i]; break",
            "if offset is None:",
            "    offset = A[:3, :3] @ (n / 2.0) + A[:3, 3] - Ap[:3, :3] @ (shape / 2.0)",
            "Ap[:3, 3] = offset",
            "X = np.linalg.inv(A) @ Ap",
            "grid = np.indices(shape).reshape(3, -1).astype(np.float64)",
            "q = X[:3, :3] @ grid + X[:3, 3:4]",
            "vals = map_coordinates(x, q, order=1, mode='nearest').reshape(shape).astype(np.float32)",
            "ornt = nib.orientations.ornt_transform(nib.orientations.io_orientation(Ap), nib.orientations.axcodes2ornt('RAS'))",
            "want = nib.orientations.apply_orientation(vals, ornt)",
            "Af = Ap @ nib.orientations.inv_ornt_aff(ornt, shape)",
            "net = nib.load(sys.argv[2]); got = np.asanyarray(net.dataobj).astype(np.float32)",
            "assert got.shape == want.shape, (got.shape, want.shape)",
            "print(float(np.abs(got - want).max()), float(np.abs(net.affine - Af).max()), float(np.abs(want).max()))");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void javaMatchesScipy(int variant) throws Exception {
        Python.assumeModules("numpy", "scipy", "nibabel");
        Affine a = switch (variant) {
            case 0 -> Affine.diagonal(0.9, 2.1, 1.3);
            case 1 -> Phantoms.signedPermutation(new int[] {0, 1, 2}, new int[] {-1, -1, 1}, new double[] {0.9, 2.1, 1.3}, new double[] {12, -7, 3});
            case 2 -> Phantoms.signedPermutation(new int[] {2, 0, 1}, new int[] {1, -1, -1}, new double[] {0.7, 1.5, 3.1}, new double[] {1, 2, 3});
            default -> Phantoms.rotateZ(Phantoms.signedPermutation(new int[] {1, 0, 2}, new int[] {-1, 1, 1},
                    new double[] {1.1, 0.6, 2.4}, new double[] {-5, 6, 7}), 23);
        };
        Geometry g = Geometry.of(new Dims(11, 9, 7), a);
        var ct = Phantoms.randomHu(g, 40 + variant);
        Path in = dir.resolve("in.nii");
        NiftiWriter.write(in, ct);
        // read back so both sides start from the same float32-stored affine
        var loaded = com.edgeseg.io.nifti.NiftiReader.read(in);
        PreprocessedImage p = new Preprocessor(Phantoms.identityIntensity(new double[] {1.5, 1.5, 1.5}, -1e9, 0)).preprocess(loaded);
        Path out = dir.resolve("net.nii");
        NiftiWriter.write(out, p.image());
        String[] r = Python.check(SCRIPT, List.of(in.toString(), out.toString())).strip().split(" ");
        double dataErr = Double.parseDouble(r[0]), affErr = Double.parseDouble(r[1]), scale = Double.parseDouble(r[2]);
        System.out.printf("scipy cross-check case %d: max |java - scipy| = %.3g (max |value| %.1f), affine diff %.3g%n", variant, dataErr, scale, affErr);
        assertTrue(dataErr <= 1e-6 * scale, "max |java - scipy| = " + dataErr + " (max |value| " + scale + ")");
        assertTrue(affErr <= 1e-5, "affine differs by " + affErr);
    }
}
