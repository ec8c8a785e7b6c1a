package com.edgeseg.sdk;

/** DICOM PatientPosition. Informational: slice geometry comes from the direction cosines and positions. */
public enum PatientPosition { HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL, UNKNOWN }
