package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How volumes are cut into network windows (§4): the {@code window} node of a model package manifest.
 *
 * @param roi         window size along axes 0, 1, 2; each a positive multiple of 16 (the encoder's constraint, Q33)
 * @param overlap     dense sliding-window overlap in [0, 1)
 * @param blend       how overlapping dense windows are weighted
 * @param sigmaScale  gaussian sigma as a fraction of the roi (only for {@link Blend#GAUSSIAN})
 * @param padding     how axes smaller than the roi are padded for dense windows
 * @param cval        value of constant padding
 * @param pointWindow placement of click-centred windows (§4.2)
 */
public record WindowSettings(Dims roi, double overlap, Blend blend, double sigmaScale, Padding padding, float cval,
                             PointWindowSettings pointWindow) {

    /** Dense blending mode (MONAI {@code mode}). */
    public enum Blend { CONSTANT, GAUSSIAN }

    /** Dense padding mode for axes smaller than the roi: constant value or edge replication (bundle >= 0.5.7). */
    public enum Padding { CONSTANT, REPLICATE }

    /**
     * Click-centred window placement.
     *
     * @param centerOnly one window per click (bundle); otherwise up to 27 windows per click
     * @param margin     distance from the click to the window border for the extra windows
     * @param roi        the click window's size where the package sizes it for speed (multiples of 16), else empty:
     *                   the dense roi (the reference's choice)
     */
    public record PointWindowSettings(boolean centerOnly, int margin, java.util.Optional<Dims> roi) {
        public PointWindowSettings {
            if (margin < 0) {
                throw new InvalidWindowSettingsException("window.point_window.margin must be >= 0, got " + margin);
            }
            if (roi == null) {
                throw new InvalidWindowSettingsException("window.point_window.roi: use Optional.empty() for the dense roi");
            }
            roi.ifPresent(r -> requireMultiplesOf16("window.point_window.roi", r));
        }

        /** The bundle's placement with the dense roi. */
        public PointWindowSettings(boolean centerOnly, int margin) {
            this(centerOnly, margin, java.util.Optional.empty());
        }
    }

    /** The click window's size: the package's {@code point_window.roi} if {@code sized} and it has one, else the roi. */
    public Dims clickRoi(boolean sized) {
        return sized ? pointWindow.roi().orElse(roi) : roi;
    }

    private static void requireMultiplesOf16(String what, Dims roi) {
        for (int a = 0; a < 3; a++) {
            int r = roi.get(a);
            if (r <= 0 || r % 16 != 0) {
                throw new InvalidWindowSettingsException(
                        what + " must be positive multiples of 16 (the encoder halves the window 4 times), got " + roi);
            }
        }
    }

    public WindowSettings {
        if (roi == null || blend == null || padding == null || pointWindow == null) {
            throw new InvalidWindowSettingsException("window settings: roi, blend, padding and point_window are required");
        }
        requireMultiplesOf16("window.roi", roi);
        if (!(overlap >= 0 && overlap < 1)) {
            throw new InvalidWindowSettingsException("window.overlap must be in [0, 1), got " + overlap);
        }
        if (!(sigmaScale > 0) || Double.isInfinite(sigmaScale)) {
            throw new InvalidWindowSettingsException("window.sigma_scale must be a positive number, got " + sigmaScale);
        }
        if (Float.isNaN(cval) || Float.isInfinite(cval)) {
            throw new InvalidWindowSettingsException("window.cval must be a finite number, got " + cval);
        }
    }

    /**
     * The values the bundle 0.5.4 actually runs (§4.1, Q1, Q2): roi 128³, overlap 0.25, constant blending, sigma scale
     * 0.125 (unused), constant padding with 0, one centred point window per click with margin 5.
     */
    public static WindowSettings bundleDefaults() {
        return new WindowSettings(new Dims(128, 128, 128), 0.25, Blend.CONSTANT, 0.125, Padding.CONSTANT, 0f,
                new PointWindowSettings(true, 5));
    }

    /** The same settings with another roi (the reference vectors use 64³). */
    public WindowSettings withRoi(Dims newRoi) {
        return new WindowSettings(newRoi, overlap, blend, sigmaScale, padding, cval, pointWindow);
    }

    /**
     * Reads the manifest's {@code window} node: {@code roi} [3 ints], {@code overlap}, {@code blend}
     * ("constant"|"gaussian"), {@code sigma_scale}, {@code padding} ("constant"|"replicate"), {@code cval},
     * {@code point_window} {"center_only", "margin", "roi" (optional: a click window sized for speed)}. Missing keys take {@link #bundleDefaults()}'s values.
     */
    public static WindowSettings fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return bundleDefaults();
        }
        if (!node.isObject()) {
            throw new InvalidWindowSettingsException("manifest 'window' must be an object, got " + node.getNodeType());
        }
        WindowSettings d = bundleDefaults();
        Dims roi = node.has("roi") ? dims(node.get("roi"), "window.roi") : d.roi();
        double overlap = number(node, "overlap", d.overlap());
        double sigma = number(node, "sigma_scale", d.sigmaScale());
        float cval = (float) number(node, "cval", d.cval());
        Blend blend = d.blend();
        if (node.has("blend")) {
            String s = text(node, "blend");
            blend = switch (s.toLowerCase(Locale.ROOT)) {
                case "constant" -> Blend.CONSTANT;
                case "gaussian" -> Blend.GAUSSIAN;
                default -> throw new InvalidWindowSettingsException(
                        "window.blend must be \"constant\" or \"gaussian\", got \"" + s + "\"");
            };
        }
        Padding padding = d.padding();
        if (node.has("padding")) {
            String s = text(node, "padding");
            padding = switch (s.toLowerCase(Locale.ROOT)) {
                case "constant" -> Padding.CONSTANT;
                case "replicate" -> Padding.REPLICATE;
                default -> throw new InvalidWindowSettingsException(
                        "window.padding must be \"constant\" or \"replicate\", got \"" + s + "\"");
            };
        }
        PointWindowSettings pw = d.pointWindow();
        JsonNode p = node.get("point_window");
        if (p != null) {
            if (!p.isObject()) {
                throw new InvalidWindowSettingsException("window.point_window must be an object, got " + p);
            }
            boolean centerOnly = pw.centerOnly();
            if (p.has("center_only")) {
                if (!p.get("center_only").isBoolean()) {
                    throw new InvalidWindowSettingsException(
                            "window.point_window.center_only must be true or false, got " + p.get("center_only"));
                }
                centerOnly = p.get("center_only").booleanValue();
            }
            int margin = pw.margin();
            if (p.has("margin")) {
                if (!p.get("margin").isIntegralNumber()) {
                    throw new InvalidWindowSettingsException(
                            "window.point_window.margin must be an integer, got " + p.get("margin"));
                }
                margin = p.get("margin").intValue();
            }
            java.util.Optional<Dims> clickRoi = p.has("roi")
                    ? java.util.Optional.of(dims(p.get("roi"), "window.point_window.roi")) : java.util.Optional.empty();
            pw = new PointWindowSettings(centerOnly, margin, clickRoi);
        }
        return new WindowSettings(roi, overlap, blend, sigma, padding, cval, pw);
    }

    private static Dims dims(JsonNode r, String what) {
        if (!r.isArray() || r.size() != 3) {
            throw new InvalidWindowSettingsException(what + " must be an array of 3 integers, got " + r);
        }
        int[] v = new int[3];
        for (int a = 0; a < 3; a++) {
            if (!r.get(a).canConvertToInt() || !r.get(a).isIntegralNumber()) {
                throw new InvalidWindowSettingsException(what + " must be an array of 3 integers, got " + r);
            }
            v[a] = r.get(a).intValue();
        }
        return Dims.of(v);
    }

    private static double number(JsonNode node, String key, double dflt) {
        JsonNode v = node.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new InvalidWindowSettingsException("window." + key + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isTextual()) {
            throw new InvalidWindowSettingsException("window." + key + " must be a string, got " + v);
        }
        return v.textValue();
    }
}
