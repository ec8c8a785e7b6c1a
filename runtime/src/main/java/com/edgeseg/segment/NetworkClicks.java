package com.edgeseg.segment;

import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.preprocess.GridPlan;
import com.edgeseg.window.Click;
import java.util.ArrayList;
import java.util.List;

/**
 * A technologist's clicks (voxel indices of the input volume) as the network sees them: validated against the
 * volume, mapped onto the network grid without rounding (§3.1 "Point transform") and labelled 0/1, or 2/3 for the
 * special classes (§3.4). The same conversion for a batch call and for a click on a streaming study.
 */
public final class NetworkClicks {
    private NetworkClicks() {
    }

    /**
     * Refuses clicks outside the volume in either profile.
     *
     * @throws InvalidClickException naming the click and the valid index ranges
     */
    public static void checkInsideVolume(Dims dims, List<UserClick> clicks) {
        for (UserClick c : clicks) {
            ContinuousIndex p = c.position();
            for (int a = 0; a < 3; a++) {
                double x = p.get(a);
                if (!Double.isFinite(x) || x < 0 || x > dims.get(a) - 1) {
                    throw new InvalidClickException(String.format(
                            "click %s is outside the volume: expected voxel indices within "
                                    + "[0, %d] x [0, %d] x [0, %d]", describe(p),
                            dims.n0() - 1, dims.n1() - 1, dims.n2() - 1));
                }
            }
        }
    }

    /**
     * The clicks on {@code grid}'s network grid. A click outside the region the model sees (the foreground crop of
     * the reference lattice) is refused when positive and dropped with a progress line when negative: it cannot
     * remove anything the model could segment.
     *
     * @param special whether the object's class takes the special labels 2/3
     * @throws InvalidClickException for a positive click outside the region, or when no click is left
     */
    public static List<Click> convert(GridPlan grid, List<UserClick> clicks, boolean special,
                                      ProgressListener progress) {
        List<Click> out = new ArrayList<>();
        Dims netDims = grid.networkDims();
        for (UserClick c : clicks) {
            ContinuousIndex p = grid.toNetwork(c.position());
            if (!insideNetworkImage(p, netDims)) {
                if (c.positive()) {
                    throw new InvalidClickException("click " + describe(c.position()) + " lies outside the body "
                            + "region the model sees (the foreground crop, " + netDims + " voxels at the model's spacing); "
                            + "expected a positive click on the structure");
                }
                progress.progress("negative click " + describe(c.position()) + " is outside the body region, ignored",
                        1, 1);
                continue;
            }
            int label = (c.positive() ? 1 : 0) + (special ? 2 : 0);
            out.add(new Click(p.i(), p.j(), p.k(), label));
        }
        if (out.isEmpty()) {
            throw new InvalidClickException("no click lies inside the body region the model sees");
        }
        return out;
    }

    private static boolean insideNetworkImage(ContinuousIndex p, Dims d) {
        for (int a = 0; a < 3; a++) {
            double x = p.get(a);
            if (!(x >= -0.5 && x <= d.get(a) - 0.5)) {
                return false;
            }
        }
        return true;
    }

    static String describe(ContinuousIndex p) {
        return "(" + fmt(p.i()) + ", " + fmt(p.j()) + ", " + fmt(p.k()) + ")";
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
