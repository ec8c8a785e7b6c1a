package com.edgeseg.engine;

import java.util.Locale;

/** Element type of an engine tensor; {@link #manifestName()} is the spelling used in model-package manifests. */
public enum ElementType {
    FLOAT32(4),
    FLOAT64(8),
    INT64(8),
    INT32(4),
    UINT8(1),
    BOOL(1);

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** {@code float32}, {@code int64}, {@code bool} ... */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a manifest dtype name; returns null when unknown. */
    public static ElementType fromManifestName(String s) {
        for (ElementType t : values()) {
            if (t.manifestName().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
