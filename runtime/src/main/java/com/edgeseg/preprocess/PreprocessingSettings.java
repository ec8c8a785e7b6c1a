package com.edgeseg.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * The preprocessing recipe of a model package (manifest node {@code "preprocessing"}, §3.1): target spacing,
 * the per-axis keep-spacing tolerance, image interpolation and padding, the foreground crop, the intensity
 * window and the target orientation.
 *
 * @param spacingMm target spacing per array axis in mm (3 positive values)
 * @param keepSpacingToleranceMm an axis whose spacing is within this of the target keeps its spacing
 * @param imageInterpolation how the image is resampled (the bundle: bilinear)
 * @param paddingMode what is sampled outside the grid; only {@code "border"} (clamp, the bundle's) is supported
 * @param foreground the foreground crop on resampled raw values
 * @param intensity the intensity window
 * @param orientation target axis codes, e.g. {@code "RAS"}
 */
public record PreprocessingSettings(
        double[] spacingMm,
        double keepSpacingToleranceMm,
        Interpolation imageInterpolation,
        String paddingMode,
        Foreground foreground,
        Intensity intensity,
        String orientation) {

    /** Resampling kernels for the image. */
    public enum Interpolation {
        BILINEAR, NEAREST;

        static Interpolation parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "bilinear", "trilinear", "linear" -> BILINEAR;
                case "nearest" -> NEAREST;
                default -> throw new InvalidPreprocessingSettingsException(
                        "preprocessing.image_interpolation is '" + s + "'; expected 'bilinear' or 'nearest'");
            };
        }
    }

    /**
     * Foreground crop: voxels strictly greater than {@code threshold} (raw resampled values, HU) define a box,
     * widened by {@code margin} voxels per side and clipped to the image.
     */
    public record Foreground(double threshold, int margin) {
        public Foreground {
            if (!Double.isFinite(threshold)) {
                throw new InvalidPreprocessingSettingsException("preprocessing.foreground.threshold is " + threshold + "; expected a finite number");
            }
            if (margin < 0) {
                throw new InvalidPreprocessingSettingsException("preprocessing.foreground.margin is " + margin + "; expected >= 0");
            }
        }
    }

    /** {@code y = (x - aMin) / (aMax - aMin) * (bMax - bMin) + bMin}, clipped to [bMin, bMax] if {@code clip}. */
    public record Intensity(double aMin, double aMax, double bMin, double bMax, boolean clip) {
        public Intensity {
            if (!(Double.isFinite(aMin) && Double.isFinite(aMax) && Double.isFinite(bMin) && Double.isFinite(bMax))) {
                throw new InvalidPreprocessingSettingsException("preprocessing.intensity values must be finite: a_min " + aMin
                        + ", a_max " + aMax + ", b_min " + bMin + ", b_max " + bMax);
            }
            if (!(aMax > aMin)) {
                throw new InvalidPreprocessingSettingsException("preprocessing.intensity: a_max (" + aMax + ") must be greater than a_min (" + aMin + ")");
            }
            if (clip && !(bMax >= bMin)) {
                throw new InvalidPreprocessingSettingsException("preprocessing.intensity: b_max (" + bMax + ") must be >= b_min (" + bMin + ") when clipping");
            }
        }
    }

    /** Sane range of a network grid's spacing: finer has no CT behind it, coarser no anatomy left. */
    public static final double MIN_SPACING_MM = 0.1;
    public static final double MAX_SPACING_MM = 20.0;

    public PreprocessingSettings {
        if (spacingMm == null || spacingMm.length != 3) {
            throw new InvalidPreprocessingSettingsException("preprocessing.spacing_mm must have 3 values, got "
                    + (spacingMm == null ? "none" : Arrays.toString(spacingMm)));
        }
        spacingMm = spacingMm.clone();
        for (double s : spacingMm) {
            if (!(s >= MIN_SPACING_MM && s <= MAX_SPACING_MM)) {
                throw new InvalidPreprocessingSettingsException("preprocessing.spacing_mm is " + Arrays.toString(spacingMm)
                        + "; expected 3 values in [" + MIN_SPACING_MM + ", " + MAX_SPACING_MM + "] mm (a CT network grid)");
            }
        }
        if (!(keepSpacingToleranceMm >= 0) || !Double.isFinite(keepSpacingToleranceMm)) {
            throw new InvalidPreprocessingSettingsException("preprocessing.keep_spacing_tolerance_mm is " + keepSpacingToleranceMm + "; expected >= 0");
        }
        if (imageInterpolation == null) {
            throw new InvalidPreprocessingSettingsException("preprocessing.image_interpolation is missing");
        }
        if (!"border".equals(paddingMode)) {
            throw new InvalidPreprocessingSettingsException("preprocessing.padding_mode is '" + paddingMode + "'; only 'border' is supported");
        }
        if (foreground == null || intensity == null) {
            throw new InvalidPreprocessingSettingsException("preprocessing.foreground and preprocessing.intensity are required");
        }
        AxisOrientation.parseAxisCodes(orientation); // validates
    }

    /** The bundle's effective values (§3.1): 1.5 mm, tolerance 1e-3, bilinear/border, HU > 0 with margin 10, its window, RAS. */
    public static PreprocessingSettings bundleDefaults() {
        return new PreprocessingSettings(new double[] {1.5, 1.5, 1.5}, 0.001, Interpolation.BILINEAR, "border",
                new Foreground(0.0, 10), new Intensity(-963.8247715525971, 1053.678477684517, 0.0, 1.0, true), "RAS");
    }

    /** A copy with another foreground margin. */
    public PreprocessingSettings withMargin(int margin) {
        return new PreprocessingSettings(spacingMm, keepSpacingToleranceMm, imageInterpolation, paddingMode,
                new Foreground(foreground.threshold(), margin), intensity, orientation);
    }

    /** Reads the manifest's {@code "preprocessing"} node; every field is required. */
    public static PreprocessingSettings fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidPreprocessingSettingsException("preprocessing must be a JSON object");
        }
        JsonNode sp = require(node, "spacing_mm", "preprocessing");
        if (!sp.isArray() || sp.size() != 3) {
            throw new InvalidPreprocessingSettingsException("preprocessing.spacing_mm must be an array of 3 numbers, got " + sp);
        }
        double[] spacing = new double[3];
        for (int i = 0; i < 3; i++) {
            spacing[i] = number(sp.get(i), "preprocessing.spacing_mm[" + i + "]");
        }
        JsonNode fg = require(node, "foreground", "preprocessing");
        JsonNode in = require(node, "intensity", "preprocessing");
        JsonNode margin = require(fg, "margin", "preprocessing.foreground");
        if (!margin.canConvertToInt() || !margin.isIntegralNumber()) {
            throw new InvalidPreprocessingSettingsException("preprocessing.foreground.margin must be an integer, got " + margin);
        }
        JsonNode clip = require(in, "clip", "preprocessing.intensity");
        if (!clip.isBoolean()) {
            throw new InvalidPreprocessingSettingsException("preprocessing.intensity.clip must be true or false, got " + clip);
        }
        return new PreprocessingSettings(
                spacing,
                number(require(node, "keep_spacing_tolerance_mm", "preprocessing"), "preprocessing.keep_spacing_tolerance_mm"),
                Interpolation.parse(text(require(node, "image_interpolation", "preprocessing"), "preprocessing.image_interpolation")),
                text(require(node, "padding_mode", "preprocessing"), "preprocessing.padding_mode"),
                new Foreground(number(require(fg, "threshold", "preprocessing.foreground"), "preprocessing.foreground.threshold"), margin.intValue()),
                new Intensity(
                        number(require(in, "a_min", "preprocessing.intensity"), "preprocessing.intensity.a_min"),
                        number(require(in, "a_max", "preprocessing.intensity"), "preprocessing.intensity.a_max"),
                        number(require(in, "b_min", "preprocessing.intensity"), "preprocessing.intensity.b_min"),
                        number(require(in, "b_max", "preprocessing.intensity"), "preprocessing.intensity.b_max"),
                        clip.booleanValue()),
                text(require(node, "orientation", "preprocessing"), "preprocessing.orientation"));
    }

    private static JsonNode require(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidPreprocessingSettingsException(where + "." + field + " is missing");
        }
        return n;
    }

    private static double number(JsonNode n, String where) {
        if (!n.isNumber()) {
            throw new InvalidPreprocessingSettingsException(where + " must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static String text(JsonNode n, String where) {
        if (!n.isTextual()) {
            throw new InvalidPreprocessingSettingsException(where + " must be a string, got " + n);
        }
        return n.textValue();
    }

    @Override
    public double[] spacingMm() {
        return spacingMm.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessingSettings p && Arrays.equals(spacingMm, p.spacingMm)
                && Double.compare(keepSpacingToleranceMm, p.keepSpacingToleranceMm) == 0
                && imageInterpolation == p.imageInterpolation && paddingMode.equals(p.paddingMode)
                && foreground.equals(p.foreground) && intensity.equals(p.intensity) && orientation.equals(p.orientation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spacingMm) * 31 + java.util.Objects.hash(keepSpacingToleranceMm, imageInterpolation, paddingMode,
                foreground, intensity, orientation);
    }

    @Override
    public String toString() {
        return "PreprocessingSettings[spacingMm=" + Arrays.toString(spacingMm) + ", keepSpacingToleranceMm=" + keepSpacingToleranceMm
                + ", imageInterpolation=" + imageInterpolation + ", paddingMode=" + paddingMode + ", foreground=" + foreground
                + ", intensity=" + intensity + ", orientation=" + orientation + "]";
    }
}
