package com.edgeseg.cli;

import com.edgeseg.io.AtomicFile;
import com.edgeseg.pkg.ClassInfo;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG a person can look at: the middle axial, coronal and sagittal planes of a CT (soft-tissue window, −160 to
 * 240 HU) with the label map over it in the class table's colours, each plane scaled to square millimetres;
 * anterior up in the axial plane, superior up in the others, the patient's right on the image's left (RAS input). Written through {@link AtomicFile}.
 */
final class OverviewImage {
    private OverviewImage() {}

    static void write(Path png, Volume ct, LabelVolume labels, List<ClassInfo> classes) {
        int[][] colour = new int[256][];
        for (ClassInfo c : classes) {
            if (c.color() != null && c.color().size() == 3 && c.id() > 0 && c.id() < 255) {
                colour[c.id()] = new int[] {c.color().get(0), c.color().get(1), c.color().get(2)};
            }
        }
        var d = ct.dims();
        double[] sp = ct.geometry().spacing();
        // at least 1.5 mm per pixel: a coarse scan still gets a readable picture
        double px = Math.min(1.5, Math.min(sp[0], Math.min(sp[1], sp[2])));
        // panel (u, v) axes: axial (i, j) at k mid, coronal (i, k) at j mid, sagittal (j, k) at i mid
        int[][] axes = {{0, 1, 2}, {0, 2, 1}, {1, 2, 0}};
        int[] widths = new int[3];
        int[] heights = new int[3];
        for (int p = 0; p < 3; p++) {
            widths[p] = (int) Math.round(d.get(axes[p][0]) * sp[axes[p][0]] / px);
            heights[p] = (int) Math.round(d.get(axes[p][1]) * sp[axes[p][1]] / px);
        }
        int h = Math.max(heights[0], Math.max(heights[1], heights[2]));
        BufferedImage img = new BufferedImage(widths[0] + widths[1] + widths[2], h, BufferedImage.TYPE_INT_RGB);
        int x0 = 0;
        for (int p = 0; p < 3; p++) {
            int u = axes[p][0];
            int v = axes[p][1];
            int w = axes[p][2];
            int fixed = d.get(w) / 2;
            for (int y = 0; y < heights[p]; y++) {
                for (int x = 0; x < widths[p]; x++) {
                    int[] idx = new int[3];
                    idx[u] = Math.min(d.get(u) - 1, (int) (x * px / sp[u]));
                    int vy = Math.min(d.get(v) - 1, (int) (y * px / sp[v]));
                    idx[v] = d.get(v) - 1 - vy; // anterior up (axial), superior up (coronal, sagittal)
                    idx[w] = fixed;
                    float hu = ct.get(idx[0], idx[1], idx[2]);
                    int g = (int) Math.max(0, Math.min(255, (hu + 160) / 400.0 * 255));
                    int r = g;
                    int gg = g;
                    int b = g;
                    int label = labels.get(idx[0], idx[1], idx[2]);
                    if (label > 0 && label < 255) {
                        int[] c = colour[label] != null ? colour[label] : new int[] {255, 64, 64};
                        r = (r + c[0]) / 2;
                        gg = (gg + c[1]) / 2;
                        b = (b + c[2]) / 2;
                    }
                    img.setRGB(x0 + x, y, (r << 16) | (gg << 8) | b);
                }
            }
            x0 += widths[p];
        }
        AtomicFile.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }
}
