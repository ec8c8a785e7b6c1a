package com.edgeseg.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds {@link EngineProvider}s on the class path and opens engines with the one the options name. */
public final class Engines {
    private Engines() {}

    public static List<EngineProvider> providers() {
        List<EngineProvider> out = new ArrayList<>();
        ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader()).forEach(out::add);
        return out;
    }

    public static EngineProvider provider(String name) {
        List<String> names = new ArrayList<>();
        for (EngineProvider p : providers()) {
            if (p.name().equals(name)) {
                if (!p.isAvailable()) {
                    throw new EngineException("engine provider '" + name + "' is installed but cannot run on this machine");
                }
                return p;
            }
            names.add(p.name());
        }
        throw new EngineException("no engine provider '" + name + "'; available: " + names);
    }

    public static InferenceEngine open(Path onnxModel, EngineOptions options) {
        return provider(options.provider()).open(onnxModel, options);
    }
}
