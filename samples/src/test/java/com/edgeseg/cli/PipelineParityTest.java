package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code ./edgeseg check-pipeline} on the MONAI pipeline vectors: parity mode reproduces all five calls within
 * the set's tolerances; product mode runs the same calls and leaves no "not computed" voxel.
 */
class PipelineParityTest {
    static final Path SET = CliRun.SHARED.resolve("vectors/pipeline-w8");

    @Test
    void parityProfileReproducesTheReferenceCalls() {
        CliRun run = CliRun.of("check-pipeline", SET.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        for (String call : new String[] {"auto_sw", "point_auto_window", "point_only_window", "zeroshot_window",
                "edit_prev_mask"}) {
            assertTrue(run.out().contains(call), "call " + call + " reported");
        }
        assertFalse(run.out().contains("FAIL"));
    }

    @Test
    void productProfileLeavesNoNotComputedVoxels() {
        CliRun run = CliRun.of("check-pipeline", SET.toString(), "--product");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("no 255 voxels"));
    }
}
