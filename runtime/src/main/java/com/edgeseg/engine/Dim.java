package com.edgeseg.engine;

/**
 * One dimension of a {@link TensorSpec}: either a fixed size, or a symbol (e.g. {@code "X"}) whose size
 * is chosen per run and must agree wherever the same symbol appears in one run's inputs.
 */
public record Dim(long size, String symbol) {
    public Dim {
        if (symbol == null && size < 0) {
            throw new IllegalArgumentException("fixed dimension must be >= 0, got " + size);
        }
    }

    public static Dim fixed(long size) {
        return new Dim(size, null);
    }

    public static Dim symbolic(String symbol) {
        return new Dim(-1, symbol);
    }

    public boolean isSymbolic() {
        return symbol != null;
    }

    @Override
    public String toString() {
        return isSymbolic() ? symbol : Long.toString(size);
    }
}
