package com.edgeseg.actors.study;

import com.edgeseg.EdgeSegException;
import com.edgeseg.engine.EngineException;
import com.edgeseg.preprocess.EmptyForegroundException;
import com.edgeseg.preprocess.InvalidImageException;
import com.edgeseg.prompt.InvalidPromptException;
import com.edgeseg.segment.InvalidClickException;
import com.edgeseg.segment.InvalidPreviousMaskException;

/**
 * Why one operation of a study failed: its kind (which decides user fault, resource limit or system fault in
 * one place) and a message that says what was expected. The study goes on after every fault.
 */
public record Fault(Kind kind, String message) {

    /** Who is to blame, which decides how a caller reports it (exit 2 / INVALID_ARGUMENT, RESOURCE_EXHAUSTED, exit 3 / INTERNAL). */
    public enum Category { USER, RESOURCE, SYSTEM }

    public enum Kind {
        INVALID_HEADER(Category.USER),
        BAD_SLICE(Category.USER),
        OFF_LINE_SLICE(Category.USER),
        DUPLICATE_SLICE(Category.USER),
        SLICE_AFTER_END(Category.USER),
        INCOMPLETE_SERIES(Category.USER),
        BAD_IMAGE(Category.USER),
        BAD_CLICK(Category.USER),
        UNKNOWN_CLASS(Category.USER),
        INVALID_PROMPT(Category.USER),
        NOT_READY(Category.USER),
        NOTHING_TO_UNDO(Category.USER),
        NOTHING_TO_REDO(Category.USER),
        STUDY_CLOSED(Category.USER),
        MEMORY_BUDGET(Category.RESOURCE),
        QUEUE_FULL(Category.RESOURCE),
        ENGINE_FAILURE(Category.SYSTEM),
        INTERNAL(Category.SYSTEM);

        private final Category category;

        Kind(Category category) {
            this.category = category;
        }

        public Category category() {
            return category;
        }
    }

    public Category category() {
        return kind.category();
    }

    /** The fault a throwable from the runtime or the engine stands for. */
    public static Fault of(Throwable t) {
        if (t instanceof StudyFaultException s) {
            return s.fault();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        if (t instanceof InvalidClickException) {
            return new Fault(Kind.BAD_CLICK, m);
        }
        if (t instanceof InvalidPromptException || t instanceof InvalidPreviousMaskException) {
            return new Fault(Kind.INVALID_PROMPT, m);
        }
        if (t instanceof EmptyForegroundException || t instanceof InvalidImageException) {
            return new Fault(Kind.BAD_IMAGE, m);
        }
        if (t instanceof EngineException) {
            return new Fault(Kind.ENGINE_FAILURE, m);
        }
        if (t instanceof EdgeSegException e) {
            return switch (e.category()) {
                case USER -> new Fault(Kind.INVALID_PROMPT, m);
                case RESOURCE -> new Fault(Kind.MEMORY_BUDGET, m);
                case SYSTEM -> new Fault(Kind.INTERNAL, m);
            };
        }
        if (t instanceof OutOfMemoryError) {
            return new Fault(Kind.MEMORY_BUDGET, "out of memory: " + m + "; expected a smaller series or a larger heap");
        }
        return new Fault(Kind.INTERNAL, t.getClass().getSimpleName() + ": " + m);
    }

    /** Thrown inside the study's parts (Loader, history) and turned into a reply or an error notice. */
    public static final class StudyFaultException extends RuntimeException {
        private final Fault fault;

        public StudyFaultException(Kind kind, String message) {
            super(message);
            this.fault = new Fault(kind, message);
        }

        public Fault fault() {
            return fault;
        }
    }

    static StudyFaultException fail(Kind kind, String message) {
        return new StudyFaultException(kind, message);
    }
}
