package com.edgeseg.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Name, element type and shape (fixed or symbolic dimensions) of one engine input or output. */
public record TensorSpec(String name, ElementType type, List<Dim> dims) {
    public TensorSpec {
        dims = List.copyOf(dims);
    }

    public int rank() {
        return dims.size();
    }

    /**
     * Whether {@code shape} fits this spec; symbols already bound in {@code bindings} must agree, new ones are
     * added to it (so the same symbol across several inputs means the same size).
     */
    public boolean matches(ElementType actualType, long[] shape, Map<String, Long> bindings) {
        if (actualType != type || shape.length != dims.size()) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            Dim d = dims.get(i);
            if (d.isSymbolic()) {
                Long bound = bindings.putIfAbsent(d.symbol(), shape[i]);
                if (bound != null && bound != shape[i]) {
                    return false;
                }
            } else if (d.size() != shape[i]) {
                return false;
            }
        }
        return true;
    }

    /** The concrete shape under {@code bindings}, or null when a symbol is unbound. */
    public long[] resolve(Map<String, Long> bindings) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            Dim d = dims.get(i);
            Long v = d.isSymbolic() ? bindings.get(d.symbol()) : Long.valueOf(d.size());
            if (v == null) {
                return null;
            }
            s[i] = v;
        }
        return s;
    }

    /** e.g. {@code float32 [1, 1, X, Y, Z]} */
    public String describe() {
        return type.manifestName() + " " + dims;
    }

    static String describe(ElementType type, long[] shape) {
        return type.manifestName() + " " + Arrays.toString(shape);
    }
}
