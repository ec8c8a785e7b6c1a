package com.edgeseg.actors.study;

import com.edgeseg.segment.ClickSession;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.volume.Volume;

/**
 * A study's {@link ClickSession}, made on the device by its first click (the segmenter lives there) and shared by its
 * later clicks. Closing the study never waits for a click on the device: a session in use is freed when that click
 * ends. Thread-safe (the actor closes, click jobs acquire and release).
 */
final class ClickSessions {
    private final long cacheBytes;
    private ClickSession session;
    private boolean busy;
    private boolean closed;

    ClickSessions(long cacheBytes) {
        this.cacheBytes = cacheBytes;
    }

    /** The session for {@code volume}, or null once the study is closed (the click then runs without one). */
    synchronized ClickSession acquire(Segmenter segmenter, Volume volume) {
        if (closed) {
            return null;
        }
        if (session == null || session.volume() != volume) {
            if (session != null) {
                session.close();
            }
            session = segmenter.clickSession(volume, cacheBytes);
        }
        busy = true;
        return session;
    }

    synchronized void release() {
        busy = false;
        if (closed) {
            free();
        }
    }

    synchronized void close() {
        closed = true;
        if (!busy) {
            free();
        }
    }

    private void free() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
