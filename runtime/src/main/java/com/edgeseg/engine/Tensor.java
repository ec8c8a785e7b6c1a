package com.edgeseg.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * A dense C-order tensor: element type, shape and a buffer of elements in native byte order. Tensors made
 * by {@link #allocate} are direct (off-heap), so engines read and write them without copies; the same
 * tensor can be passed as an output buffer again and again.
 */
public final class Tensor {
    private final ElementType type;
    private final long[] shape;
    private final ByteBuffer data;

    private Tensor(ElementType type, long[] shape, ByteBuffer data) {
        this.type = type;
        this.shape = shape.clone();
        long bytes = (long) elementCount(this.shape) * type.byteSize();
        if (data.capacity() != bytes) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + type + " needs " + bytes
                    + " bytes, buffer has " + data.capacity());
        }
        this.data = data.order(ByteOrder.nativeOrder());
    }

    /** A zero-filled direct tensor. */
    public static Tensor allocate(ElementType type, long... shape) {
        long bytes = (long) elementCount(shape) * type.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes exceeds 2 GiB");
        }
        return new Tensor(type, shape, ByteBuffer.allocateDirect((int) bytes));
    }

    /** Wraps a buffer (position 0, capacity = exact size, native order) without copying. */
    public static Tensor wrap(ElementType type, ByteBuffer data, long... shape) {
        return new Tensor(type, shape, data.duplicate().clear());
    }

    public static Tensor of(float[] values, long... shape) {
        Tensor t = allocate(ElementType.FLOAT32, checked(values.length, shape));
        t.floats().put(values);
        return t;
    }

    public static Tensor of(long[] values, long... shape) {
        Tensor t = allocate(ElementType.INT64, checked(values.length, shape));
        t.longs().put(values);
        return t;
    }

    public static Tensor of(boolean[] values, long... shape) {
        Tensor t = allocate(ElementType.BOOL, checked(values.length, shape));
        ByteBuffer b = t.buffer();
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        return t;
    }

    private static long[] checked(int n, long[] shape) {
        if (elementCount(shape) != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
        return shape;
    }

    static int elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return Math.toIntExact(n);
    }

    public ElementType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        return elementCount(shape);
    }

    /** A view of all element bytes (position 0, native order); writes go to the tensor. */
    public ByteBuffer buffer() {
        return data.duplicate().clear().order(ByteOrder.nativeOrder());
    }

    public boolean isDirect() {
        return data.isDirect();
    }

    public FloatBuffer floats() {
        require(ElementType.FLOAT32);
        return buffer().asFloatBuffer();
    }

    public LongBuffer longs() {
        require(ElementType.INT64);
        return buffer().asLongBuffer();
    }

    public float[] toFloatArray() {
        float[] out = new float[elementCount()];
        floats().get(out);
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[elementCount()];
        longs().get(out);
        return out;
    }

    /** This tensor if it is direct, else a direct copy (engines read direct tensors without copying). */
    public Tensor toDirect() {
        if (isDirect()) {
            return this;
        }
        Tensor t = allocate(type, shape);
        t.buffer().put(buffer());
        return t;
    }

    private void require(ElementType t) {
        if (type != t) {
            throw new IllegalStateException("tensor is " + type.manifestName() + ", not " + t.manifestName());
        }
    }

    @Override
    public String toString() {
        return TensorSpec.describe(type, shape);
    }
}
