package com.edgeseg.io.nifti;

import java.nio.ByteBuffer;

/** The NIfTI voxel types EdgeSeg reads, with their header codes and sizes. */
enum NiftiDataType {
    UINT8(2, 1, true),
    INT16(4, 2, true),
    INT32(8, 4, true),
    FLOAT32(16, 4, false),
    FLOAT64(64, 8, false),
    INT8(256, 1, true),
    UINT16(512, 2, true);

    final int code;
    final int bytes;
    final boolean integer;

    NiftiDataType(int code, int bytes, boolean integer) {
        this.code = code;
        this.bytes = bytes;
        this.integer = integer;
    }

    static NiftiDataType ofCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new NiftiFormatException("unsupported NIfTI datatype code " + code
                + "; expected one of uint8 (2), int16 (4), int32 (8), float32 (16), float64 (64), int8 (256), uint16 (512)");
    }

    /** Reads one raw voxel (unscaled) at the buffer's position as a double (exact for every type here). */
    double read(ByteBuffer b) {
        return switch (this) {
            case UINT8 -> b.get() & 0xFF;
            case INT8 -> b.get();
            case INT16 -> b.getShort();
            case UINT16 -> b.getShort() & 0xFFFF;
            case INT32 -> b.getInt();
            case FLOAT32 -> b.getFloat();
            case FLOAT64 -> b.getDouble();
        };
    }
}
