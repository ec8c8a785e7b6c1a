package com.edgeseg.conformance;

/**
 * One compared (or skipped) output of a reference-vector call.
 *
 * @param object the object slice (axis 0 of [B,1,X,Y,Z] logits), or -1 for the whole array
 * @param maxRelErr max|out - ref| / max|ref| over the finite reference values; NaN when skipped
 * @param note why the output was skipped, or what made it fail beyond the error (NaN / -9999 mismatch); empty otherwise
 */
public record VectorComparison(String call, String output, int object, double maxRelErr, double tolerance,
                               boolean skipped, String note) {
    public boolean passed() {
        return skipped || (note.isEmpty() && maxRelErr <= tolerance);
    }

    static VectorComparison skip(String call, String output, String why) {
        return new VectorComparison(call, output, -1, Double.NaN, Double.NaN, true, why);
    }

    /** One line for the console, e.g. {@code auto.logits[1]  max_rel_err 3.2e-07  (tol 1e-04)  PASS}. */
    public String line() {
        String what = call + "." + output + (object >= 0 ? "[" + object + "]" : "");
        if (skipped) {
            return String.format("%-44s skipped: %s", what, note);
        }
        return String.format("%-44s max_rel_err %.2e  (tol %.0e)  %s%s", what, maxRelErr, tolerance,
                passed() ? "PASS" : "FAIL", note.isEmpty() ? "" : "  " + note);
    }
}
