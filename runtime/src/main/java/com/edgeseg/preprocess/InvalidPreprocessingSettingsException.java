package com.edgeseg.preprocess;

import com.edgeseg.EdgeSegException;

/** A "preprocessing" manifest node (or settings value) that is missing a field or holds a value EdgeSeg cannot run. */
public final class InvalidPreprocessingSettingsException extends EdgeSegException {
    public InvalidPreprocessingSettingsException(String message) {
        super(message);
    }
}
