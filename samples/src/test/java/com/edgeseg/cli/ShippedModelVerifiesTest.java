package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.pkg.ClassInfo;
import com.edgeseg.pkg.ModelPackage;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package shipped in {@code models/} is what {@code ./edgeseg segment} uses without {@code --model}: it must open
 * with every file matching its manifest's sha256, stay within the size budget, and carry the head-and-neck class table.
 */
class ShippedModelVerifiesTest {
    static final long MAX_BYTES = 60L * 1000 * 1000;

    @Test
    void defaultPackageOpensVerifiedAndWithinBudget() {
        Path dir = DefaultModel.resolve();
        ModelPackage pkg = ModelPackage.open(dir);   // refuses a file whose sha256 differs from the manifest
        assertTrue(pkg.sizeBytes() <= MAX_BYTES, "package is " + pkg.sizeBytes() + " bytes; budget " + MAX_BYTES);
        Set<String> names = pkg.manifest().classes().stream().map(ClassInfo::name).collect(Collectors.toSet());
        assertEquals(Set.of("Esophagus", "Brainstem", "Parotid_R", "SpinalCord", "Parotid_L", "Larynx",
                "Bone_Mandible"), names);
    }
}
