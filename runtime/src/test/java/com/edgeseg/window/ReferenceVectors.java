package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test access to the shared reference vectors (read in place via the {@code edgeseg.shared} property). */
public final class ReferenceVectors {
    private ReferenceVectors() {
    }

    /** One loaded .npy: shape and values widened to double (float32/float64/int64/uint8). */
    public record Array(int[] shape, double[] values) {
        public float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return f;
        }
    }

    public static Path pipelineDir() {
        String shared = System.getProperty("edgeseg.shared", "../../shared");
        Path dir = Path.of(shared, "vectors", "pipeline-w8");
        assertTrue(Files.isDirectory(dir), "reference vectors not found at " + dir.toAbsolutePath()
                + " (set -Dedgeseg.shared)");
        return dir;
    }

    public static JsonNode pipelineManifest() throws IOException {
        return new ObjectMapper().readTree(pipelineDir().resolve("manifest.json").toFile());
    }

    public static JsonNode call(JsonNode manifest, String name) {
        for (JsonNode c : manifest.get("calls")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no call " + name + " in the manifest");
    }

    /** The clicks of a pipeline call: {@code <call>.point_coords.npy} [1,N,3] and {@code <call>.point_labels.npy} [1,N]. */
    public static List<Click> clicks(String call) throws IOException {
        Array c = load(call + ".point_coords.npy");
        Array l = load(call + ".point_labels.npy");
        List<Click> out = new ArrayList<>();
        for (int i = 0; i < l.values().length; i++) {
            out.add(new Click(c.values()[3 * i], c.values()[3 * i + 1], c.values()[3 * i + 2], (int) l.values()[i]));
        }
        return out;
    }

    public static Array load(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(pipelineDir().resolve(file));
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int pos;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xFFFF;
            pos = 10;
        } else {
            headerLen = buf.getInt(8);
            pos = 12;
        }
        String header = new String(bytes, pos, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException("unsupported npy header " + header);
        }
        List<Integer> dims = new ArrayList<>();
        for (String t : s.group(1).split(",")) {
            if (!t.isBlank()) {
                dims.add(Integer.parseInt(t.trim()));
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long n = 1;
        for (int x : shape) {
            n *= x;
        }
        buf.position(pos + headerLen);
        double[] v = new double[Math.toIntExact(n)];
        switch (d.group(1)) {
            case "<f4" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.getFloat();
                }
            }
            case "<f8" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.getDouble();
                }
            }
            case "<i8" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.getLong();
                }
            }
            case "|u1" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.get() & 0xFF;
                }
            }
            default -> throw new IOException("unsupported dtype " + d.group(1));
        }
        return new Array(shape, v);
    }
}
