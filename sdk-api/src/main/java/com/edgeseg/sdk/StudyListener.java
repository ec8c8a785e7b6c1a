package com.edgeseg.sdk;

/** Receives a study's events in order, on the study's thread: return quickly, never block. */
@FunctionalInterface
public interface StudyListener {
    void onEvent(StudyEvent event);
}
