package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.volume.LabelVolume;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent Python client (clients/python, Debian's python3-grpcio, no generated code) against a real server
 * on loopback: a real CT streamed slice by slice gets slab masks before its last slice is accepted and a final
 * mask identical to batch segmentation; click, undo and redo round-trip; a second redo is FAILED_PRECONDITION.
 */
class PythonClientTest {
    static final Path ROOT = Path.of(System.getProperty("edgeseg.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void pythonStreamsAClickAndGetsTheBatchMask() throws Exception {
        CtSeries series = CtSeries.tall();
        Path ct = tmp.resolve("ct.nii.gz");
        NiftiWriter.write(ct, series.ct);
        LabelVolume batch = series.batch(CtSeries.testPackage(), CtSeries.AUTO);
        Path mask = tmp.resolve("mask.u8");
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(CtSeries.testPackage()));
             EdgeSegServer server = EdgeSegServer.start(edgeseg, 0)) {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", ROOT.resolve("clients/python/stream_nifti.py").toString(),
                    "--target", "127.0.0.1:" + server.port(),
                    "--descriptors", ROOT.resolve("proto/target/generated-resources/protobuf/descriptor-sets/edgeseg-v1.desc").toString(),
                    "--ct", ct.toString(), "--classes", String.join(",", CtSeries.AUTO), "--out", mask.toString(),
                    "--click-class", "liver", "--hold-last");
            pb.environment().put("PYTHONPATH", ROOT.resolve("clients/python").toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            System.out.println(out);
            assertEquals(0, p.exitValue(), out);
            JsonNode s = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
            int n = series.slices();
            assertEquals(n, s.get("accepted").asInt());
            assertTrue(s.get("slabs").size() > 0 && s.get("slabs").get(0).get(2).asInt() < n,
                    "a slab arrived before every slice was accepted: " + s.get("slabs"));
            assertTrue(s.get("undo_restores").asBoolean() && s.get("redo_restores").asBoolean(), s.toString());
            assertEquals("FAILED_PRECONDITION NOTHING_TO_REDO", s.get("second_redo").asText());
            assertEquals(0, server.openStudies(), "CloseStudy freed it");
        }
        byte[] labels = Files.readAllBytes(mask);
        var d = batch.dims();
        long differ = 0;
        for (int k = 0; k < d.n2(); k++) {
            for (int r = 0; r < d.n1(); r++) {
                for (int c = 0; c < d.n0(); c++) {
                    if ((labels[(k * d.n1() + r) * d.n0() + c] & 0xFF) != batch.get(c, r, k)) {
                        differ++;
                    }
                }
            }
        }
        assertEquals(0, differ, "voxels where the Python client's final mask differs from batch");
    }
}
