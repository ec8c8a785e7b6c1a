package com.edgeseg.io.dicom;

import com.edgeseg.EdgeSegException;

/** A DICOM file or series that cannot be read as one CT volume; the message names the file and what was expected. */
public final class DicomFormatException extends EdgeSegException {
    public DicomFormatException(String message) {
        super(message);
    }
}
