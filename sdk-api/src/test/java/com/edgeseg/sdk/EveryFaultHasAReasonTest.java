package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.edgeseg.actors.study.Fault;
import com.edgeseg.engine.EngineException;
import com.edgeseg.segment.InvalidClickException;
import org.junit.jupiter.api.Test;

/**
 * Every fault the pipeline can report becomes a public reason, and its category decides the exception type:
 * user faults, resource limits and system faults stay apart on their way out of the SDK.
 */
class EveryFaultHasAReasonTest {
    @Test
    void eachFaultKindMapsToItsReasonAndCategory() {
        for (Fault.Kind kind : Fault.Kind.values()) {
            StudyException e = Convert.error(new Fault(kind, "expected something"));
            assertEquals(kind.name(), e.reason().name());
            Class<? extends StudyException> type = switch (kind.category()) {
                case USER -> InvalidRequestException.class;
                case RESOURCE -> ResourceExhaustedException.class;
                case SYSTEM -> SystemFaultException.class;
            };
            assertInstanceOf(type, e, kind.toString());
        }
    }

    @Test
    void runtimeFailuresKeepTheirCategory() {
        assertEquals(Reason.ENGINE_FAILURE, assertInstanceOf(SystemFaultException.class,
                Convert.error(new EngineException("session broke"))).reason());
        assertEquals(Reason.BAD_CLICK, assertInstanceOf(InvalidRequestException.class,
                Convert.error(new InvalidClickException("outside; expected inside"))).reason());
        assertEquals(Reason.INTERNAL, assertInstanceOf(SystemFaultException.class,
                Convert.error(new IllegalStateException("bug"))).reason());
        assertEquals(Reason.TIMEOUT, assertInstanceOf(ResourceExhaustedException.class,
                Convert.error(new java.util.concurrent.TimeoutException("ask"))).reason());
    }
}
