package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./edgeseg demo}: a scanner simulator streams a real CT over loopback gRPC to a server on the shipped model;
 * the mask lands on the input grid with organs in it, and the overview PNG shows the three planes with colour where
 * the mask is.
 */
class DemoWritesMaskAndOverviewTest {
    @TempDir
    Path tmp;

    @Test
    void demoWritesTheMaskAndTheOverview() throws Exception {
        CliRun run = CliRun.of("demo", "--out", tmp.toString(), "--rate", "0", "--threads", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("slab mask: slices"), "events printed as they come: " + run.err());
        LabelVolume seg = NiftiReader.readLabels(tmp.resolve("seg.nii.gz"));
        assertEquals(NiftiReader.read(CliRun.SHARED.resolve("data/openkbp/val/pt_201/ct.nii.gz")).dims(), seg.dims());
        assertTrue(seg.count(131) > 100, "the mandible is found");
        BufferedImage png = ImageIO.read(tmp.resolve("overview.png").toFile());
        assertTrue(png.getWidth() > 300 && png.getHeight() > 100, png.getWidth() + "x" + png.getHeight());
        long coloured = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                if (Math.abs(r - g) > 20 || Math.abs(g - b) > 20) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 50, "the mask shows in colour over the grey CT: " + coloured + " pixels");
    }
}
