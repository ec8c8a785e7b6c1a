package com.edgeseg.sdk;

/** A half-open box of the scanner grid: slices [sliceFrom, sliceTo), rows [rowFrom, rowTo), columns [colFrom, colTo). */
public record Box(int sliceFrom, int sliceTo, int rowFrom, int rowTo, int colFrom, int colTo) {
    public boolean contains(int slice, int row, int col) {
        return slice >= sliceFrom && slice < sliceTo && row >= rowFrom && row < rowTo && col >= colFrom && col < colTo;
    }

    public int slices() {
        return sliceTo - sliceFrom;
    }

    public int rows() {
        return rowTo - rowFrom;
    }

    public int cols() {
        return colTo - colFrom;
    }
}
