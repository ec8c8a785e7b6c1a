package com.edgeseg.pkg;

import com.edgeseg.engine.Dim;
import com.edgeseg.engine.ElementType;
import com.edgeseg.engine.TensorSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed {@code manifest.json} of a model package ({@code edgeseg-model/2}). {@link #preprocessing()} and
 * {@link #window()} are passed on as JSON to the modules that own those settings.
 *
 * @param width {@code architecture.encoder_embed_dim}
 * @param engines by role: {@link #ENCODER}, {@link #AUTO_FEATURES}, {@link #CLASS_EMBEDDING}, {@link #POINT_HEAD}
 * @param files file name -> lowercase sha256 hex
 */
public record Manifest(String format, String name, String description, String architecture, int width, int inChannels,
                       JsonNode preprocessing, JsonNode window, List<ClassInfo> classes,
                       Map<String, EngineSpec> engines, Map<String, String> files, JsonNode json) {
    public static final String FORMAT = "edgeseg-model/2";
    public static final String ENCODER = "encoder";
    /** Auto decoder + the class head's post-mapping: the features F' that every class is scored on. */
    public static final String AUTO_FEATURES = "auto_features";
    /** The class head's embedding + MLP: one vector per class id; a logit is its dot product with F'. */
    public static final String CLASS_EMBEDDING = "class_embedding";
    public static final String POINT_HEAD = "point_head";
    public static final List<String> ENGINE_ROLES = List.of(ENCODER, AUTO_FEATURES, CLASS_EMBEDDING, POINT_HEAD);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Manifest {
        classes = List.copyOf(classes);
        engines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(engines));
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    public EngineSpec engine(String role) {
        EngineSpec e = engines.get(role);
        if (e == null) {
            throw new PackageFormatException("manifest '" + name + "' has no engine '" + role + "'");
        }
        return e;
    }

    /** Parses and validates a manifest; {@code source} names it in error messages. */
    public static Manifest parse(JsonNode root, String source) {
        P p = new P(source);
        if (!root.isObject()) {
            throw p.fail("", "a JSON object");
        }
        String format = p.text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new PackageFormatException(source + ": format is '" + format + "', expected '" + FORMAT + "'"
                    + ("edgeseg-model/1".equals(format) ? " (a format-1 package scores classes inside its auto_head "
                    + "engine; export it again with tools/vista3d/export.py, or train.py --resume-from it)" : ""));
        }
        String name = p.text(root, "name");
        String description = root.path("description").asText("");
        JsonNode arch = p.object(root, "architecture");
        String archName = p.text(arch, "name");
        int width = p.positiveInt(arch, "encoder_embed_dim");
        int inChannels = arch.has("in_channels") ? p.positiveInt(arch, "in_channels") : 1;
        JsonNode pre = p.object(root, "preprocessing");
        JsonNode window = p.object(root, "window");

        List<ClassInfo> classes = new ArrayList<>();
        JsonNode cs = p.array(root, "classes");
        for (int i = 0; i < cs.size(); i++) {
            JsonNode c = cs.get(i);
            String where = "classes[" + i + "]";
            if (!c.isObject()) {
                throw p.fail(where, "an object");
            }
            classes.add(new ClassInfo(p.positiveInt(c, "id"), p.text(c, "name"), p.bool(c, "everything"),
                    p.bool(c, "special"), p.bool(c, "legacy"), p.ints(c, "group", -1), p.ints(c, "color", 3)));
        }

        if (classes.isEmpty()) {
            throw p.fail("classes", "at least one class (the model's class table)");
        }
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode fs = p.object(root, "files");
        for (Iterator<Map.Entry<String, JsonNode>> it = fs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            if (f.isEmpty() || f.contains("/") || f.contains("\\") || f.equals(".") || f.equals("..")
                    || f.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw p.fail("files", "plain file names inside the package folder, got '" + f + "'");
            }
            String sha = e.getValue().asText("");
            if (!SHA256.matcher(sha).matches()) {
                throw p.fail("files." + f, "a lowercase sha256 hex string of 64 digits");
            }
            files.put(f, sha);
        }

        Map<String, EngineSpec> engines = new LinkedHashMap<>();
        JsonNode es = p.object(root, "engines");
        for (String role : ENGINE_ROLES) {
            if (!es.has(role)) {
                throw new PackageFormatException(source + ": engines has no '" + role + "' (expected " + ENGINE_ROLES + ")");
            }
            JsonNode e = p.object(es, role);
            String file = p.text(e, "file");
            engines.put(role, new EngineSpec(role, file, p.specs(e, "inputs", role), p.specs(e, "outputs", role)));
        }
        return new Manifest(format, name, description, archName, width, inChannels, pre, window, classes, engines, files, root);
    }

    /** Small helpers that say which field was wrong and what was expected. */
    private record P(String source) {
        PackageFormatException fail(String field, String expected) {
            return new PackageFormatException(source + ": " + (field.isEmpty() ? "manifest" : "'" + field + "'")
                    + " must be " + expected);
        }

        JsonNode get(JsonNode n, String f) {
            JsonNode v = n.get(f);
            if (v == null || v.isNull()) {
                throw new PackageFormatException(source + ": missing field '" + f + "'");
            }
            return v;
        }

        String text(JsonNode n, String f) {
            JsonNode v = get(n, f);
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw fail(f, "a non-empty string");
            }
            return v.asText();
        }

        int positiveInt(JsonNode n, String f) {
            JsonNode v = get(n, f);
            if (!v.isIntegralNumber() || v.asInt() <= 0) {
                throw fail(f, "a positive integer");
            }
            return v.asInt();
        }

        boolean bool(JsonNode n, String f) {
            JsonNode v = get(n, f);
            if (!v.isBoolean()) {
                throw fail(f, "true or false");
            }
            return v.asBoolean();
        }

        JsonNode object(JsonNode n, String f) {
            JsonNode v = get(n, f);
            if (!v.isObject()) {
                throw fail(f, "an object");
            }
            return v;
        }

        JsonNode array(JsonNode n, String f) {
            JsonNode v = get(n, f);
            if (!v.isArray()) {
                throw fail(f, "an array");
            }
            return v;
        }

        List<Integer> ints(JsonNode n, String f, int size) {
            JsonNode a = array(n, f);
            if (size >= 0 && a.size() != size) {
                throw fail(f, "an array of " + size + " integers");
            }
            List<Integer> out = new ArrayList<>();
            for (JsonNode x : a) {
                if (!x.isIntegralNumber()) {
                    throw fail(f, "an array of integers");
                }
                out.add(x.asInt());
            }
            return out;
        }

        List<TensorSpec> specs(JsonNode engine, String f, String role) {
            JsonNode a = array(engine, f);
            if (a.isEmpty()) {
                throw fail("engines." + role + "." + f, "a non-empty array");
            }
            List<TensorSpec> out = new ArrayList<>();
            for (JsonNode t : a) {
                String where = "engines." + role + "." + f;
                if (!t.isObject()) {
                    throw fail(where, "an array of {name, dtype, shape} objects");
                }
                String name = text(t, "name");
                ElementType type = ElementType.fromManifestName(text(t, "dtype"));
                if (type == null) {
                    throw fail(where + "." + name + ".dtype", "one of float32, float64, int64, int32, uint8, bool");
                }
                List<Dim> dims = new ArrayList<>();
                for (JsonNode d : array(t, "shape")) {
                    if (d.isIntegralNumber() && d.asLong() >= 0) {
                        dims.add(Dim.fixed(d.asLong()));
                    } else if (d.isTextual() && !d.asText().isEmpty()) {
                        dims.add(Dim.symbolic(d.asText()));
                    } else {
                        throw fail(where + "." + name + ".shape", "sizes (integers >= 0) or symbol names (strings)");
                    }
                }
                out.add(new TensorSpec(name, type, dims));
            }
            return out;
        }
    }
}
