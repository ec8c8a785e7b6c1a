package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.VoxelIndex;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;

/**
 * A CT in network space plus the exact record of how it got there ({@link GridPlan}), so that clicks and masks move
 * between the original grid (as loaded) and the network grid (resampled, cropped, oriented; §3.1).
 *
 * <p>Grids: <em>original</em> = the loaded volume; <em>resampled</em> = after spacing, before the crop
 * ({@link #resampledGeometry()}); <em>network</em> = cropped and oriented ({@link #image()}).
 */
public final class PreprocessedImage {
    private final GridPlan grid;
    private final Volume image;

    public PreprocessedImage(GridPlan grid, Volume image) {
        if (!image.geometry().dims().equals(grid.networkDims())) {
            throw new IllegalArgumentException("network image " + image.dims() + " does not fit the grid "
                    + grid.networkDims());
        }
        this.grid = grid;
        this.image = image;
    }

    /** The network grid and its mapping to the original grid. */
    public GridPlan grid() {
        return grid;
    }

    /** The network input: float32, scaled intensities, target orientation, C order. */
    public Volume image() {
        return image;
    }

    public Geometry originalGeometry() {
        return grid.originalGeometry();
    }

    public Geometry networkGeometry() {
        return grid.networkGeometry();
    }

    /** The grid after spacing and before the crop (equals the original grid when nothing was resampled). */
    public Geometry resampledGeometry() {
        return grid.resampledGeometry();
    }

    public Dims resampledDims() {
        return grid.resampledDims();
    }

    /** Whether the spacing step resampled at all (false when every axis was within tolerance, §8 Q20). */
    public boolean resampled() {
        return grid.resampled();
    }

    /** The foreground crop on the resampled grid (the whole resampled grid in the streaming lattice). */
    public CropBox cropBox() {
        return grid.cropBox();
    }

    /** For network axis {@code a}: the resampled-grid axis it comes from. */
    public int resampledAxisOf(int networkAxis) {
        return grid.resampledAxisOf(networkAxis);
    }

    /** For network axis {@code a}: whether it runs opposite to its resampled-grid axis. */
    public boolean networkAxisFlipped(int networkAxis) {
        return grid.networkAxisFlipped(networkAxis);
    }

    /** {@code M = inv(A_network) · A_original} in float64: original index to network index. */
    public Affine networkFromOriginal() {
        return grid.networkFromOriginal();
    }

    public Affine originalFromNetwork() {
        return grid.originalFromNetwork();
    }

    /** A click on the original grid to the network grid: {@code M·p}, not rounded; may fall outside the crop. */
    public ContinuousIndex toNetwork(ContinuousIndex originalIndex) {
        return grid.toNetwork(originalIndex);
    }

    public ContinuousIndex toOriginal(ContinuousIndex networkIndex) {
        return grid.toOriginal(networkIndex);
    }

    /** A network-grid label map back on the original grid ({@link GridPlan#toOriginal(LabelVolume)}). */
    public LabelVolume toOriginal(LabelVolume networkLabels) {
        return grid.toOriginal(networkLabels);
    }

    /** The same mapping for a box of the original grid only ({@link GridPlan#toOriginalRegion}). */
    public byte[] toOriginalRegion(LabelVolume networkLabels, VoxelIndex start, Dims size) {
        return grid.toOriginalRegion(networkLabels, start, size);
    }

    /** An original-grid label map on the network grid ({@link GridPlan#toNetwork(LabelVolume)}). */
    public LabelVolume toNetwork(LabelVolume originalLabels) {
        return grid.toNetwork(originalLabels);
    }
}
