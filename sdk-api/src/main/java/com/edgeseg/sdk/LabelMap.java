package com.edgeseg.sdk;

/**
 * Class ids (0 background, unsigned) on (part of) the scanner grid, slice by slice, each slice row by row like the
 * DICOM images it labels. Slices are sorted along the slice normal (row x column direction), whatever order they
 * arrived in; {@code firstSlice} says where this map starts in the series. Immutable.
 */
public final class LabelMap {
    private final int firstSlice;
    private final int slices;
    private final int rows;
    private final int cols;
    private final byte[] labels;

    LabelMap(int firstSlice, int slices, int rows, int cols, byte[] labels) {
        if (labels.length != (long) slices * rows * cols) {
            throw new IllegalArgumentException(labels.length + " labels for " + slices + "x" + rows + "x" + cols);
        }
        this.firstSlice = firstSlice;
        this.slices = slices;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
    }

    public int firstSlice() {
        return firstSlice;
    }

    public int slices() {
        return slices;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The label at {@code slice} (counted from {@link #firstSlice}), row, column. */
    public int label(int slice, int row, int col) {
        return labels[(slice * rows + row) * cols + col] & 0xFF;
    }

    /** A copy of one slice's labels, row by row. */
    public byte[] slice(int slice) {
        byte[] out = new byte[rows * cols];
        System.arraycopy(labels, slice * rows * cols, out, 0, out.length);
        return out;
    }

    /** A copy of every label, slice by slice, row by row. */
    public byte[] toArray() {
        return labels.clone();
    }

    public long count(int label) {
        long n = 0;
        for (byte b : labels) {
            if ((b & 0xFF) == label) {
                n++;
            }
        }
        return n;
    }
}
