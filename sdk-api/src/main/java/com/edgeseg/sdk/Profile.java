package com.edgeseg.sdk;

/** Which fidelity profile the engine runs: the product's behaviour, or the reference bundle's with its quirks. */
public enum Profile {
    PRODUCT, PARITY;

    String runtimeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
