package com.edgeseg.io.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: element type, shape (C order) and the raw
 * little-endian element bytes. Typed accessors copy the elements out; integer and boolean arrays can be
 * read as {@code long[]}, float arrays as {@code double[]} or {@code float[]}.
 */
public final class NpyArray {
    private final NpyDType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    /** Wraps little-endian element bytes; the buffer's remaining bytes must be exactly shape's product times the element size. */
    public NpyArray(NpyDType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = count(this.shape);
        if (data.remaining() != n * dtype.byteSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n * dtype.byteSize() + " bytes, got " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static NpyArray of(float[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 4, shape);
        b.asFloatBuffer().put(values);
        return new NpyArray(NpyDType.FLOAT32, shape, b);
    }

    public static NpyArray of(double[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 8, shape);
        b.asDoubleBuffer().put(values);
        return new NpyArray(NpyDType.FLOAT64, shape, b);
    }

    public static NpyArray of(long[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 8, shape);
        b.asLongBuffer().put(values);
        return new NpyArray(NpyDType.INT64, shape, b);
    }

    public static NpyArray of(int[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 4, shape);
        b.asIntBuffer().put(values);
        return new NpyArray(NpyDType.INT32, shape, b);
    }

    /** Unsigned bytes (numpy {@code uint8}): each byte is read as 0..255. */
    public static NpyArray ofUint8(byte[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 1, shape);
        b.put(values).flip();
        return new NpyArray(NpyDType.UINT8, shape, b);
    }

    public static NpyArray of(boolean[] values, long... shape) {
        ByteBuffer b = alloc(values.length, 1, shape);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        b.flip();
        return new NpyArray(NpyDType.BOOL, shape, b);
    }

    private static ByteBuffer alloc(int n, int size, long[] shape) {
        if (count(shape) != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
        return ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public NpyDType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return Math.toIntExact(count(shape));
    }

    /** The element bytes, little-endian, read-only. */
    public ByteBuffer bytes() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** float32 elements; float64 arrays are rounded to float32. */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        switch (dtype) {
            case FLOAT32 -> bytes().asFloatBuffer().get(out);
            case FLOAT64 -> {
                double[] d = toDoubleArray();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) d[i];
                }
            }
            default -> throw wrongType("float");
        }
        return out;
    }

    /** float64 elements; float32 arrays are widened exactly. */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        switch (dtype) {
            case FLOAT64 -> bytes().asDoubleBuffer().get(out);
            case FLOAT32 -> {
                var f = bytes().asFloatBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = f.get(i);
                }
            }
            default -> throw wrongType("float");
        }
        return out;
    }

    /** Integer or boolean elements widened to long (uint8 as 0..255, bool as 0/1). */
    public long[] toLongArray() {
        long[] out = new long[size()];
        ByteBuffer b = bytes();
        switch (dtype) {
            case INT64 -> b.asLongBuffer().get(out);
            case INT32 -> {
                var ib = b.asIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = ib.get(i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i) & 0xFF;
                }
            }
            default -> throw wrongType("integer");
        }
        return out;
    }

    /** int32 elements (or int64 elements that fit, uint8/bool widened). */
    public int[] toIntArray() {
        long[] l = toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }

    /** Raw bytes of a uint8 or bool array. */
    public byte[] toByteArray() {
        if (dtype != NpyDType.UINT8 && dtype != NpyDType.BOOL) {
            throw wrongType("uint8/bool");
        }
        byte[] out = new byte[size()];
        bytes().get(out);
        return out;
    }

    public boolean[] toBooleanArray() {
        long[] l = toLongArray();
        boolean[] out = new boolean[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i] != 0;
        }
        return out;
    }

    private IllegalStateException wrongType(String wanted) {
        return new IllegalStateException("array is " + dtype + ", not " + wanted);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
