package com.edgeseg.io.npy;

/** The element types EdgeSeg reads and writes in {@code .npy} files, all little-endian. */
public enum NpyDType {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT64("<i8", 8),
    INT32("<i4", 4),
    UINT8("|u1", 1),
    BOOL("|b1", 1);

    private final String descr;
    private final int byteSize;

    NpyDType(String descr, int byteSize) {
        this.descr = descr;
        this.byteSize = byteSize;
    }

    /** The numpy {@code descr} string written to headers, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Parses a header {@code descr}; returns null when the type is not supported. */
    static NpyDType fromDescr(String d) {
        if (d.length() < 2) {
            return null;
        }
        char order = d.charAt(0);
        String code = d.substring(1);
        boolean single = code.endsWith("1");
        // single-byte types carry no byte order ('|'); numpy also accepts '<' and '=' on little-endian machines
        if (!(order == '<' || order == '=' || (single && order == '|'))) {
            return null;
        }
        for (NpyDType t : values()) {
            if (t.descr.substring(1).equals(code)) {
                return t;
            }
        }
        return null;
    }
}
