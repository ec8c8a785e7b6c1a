package com.edgeseg.sdk;

import com.edgeseg.proto.v1.AcquireEvent;
import com.edgeseg.proto.v1.MaskSlab;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalInt;

/**
 * Between the SDK's types and the wire's (edgeseg.v1): run-length masks, headers, slices, and the one mapping of
 * typed failures to gRPC status codes and back.
 */
final class Wire {
    private Wire() {}

    /** Run-length code of labels: (label byte, run length varint) pairs, runs crossing rows and slices. */
    static byte[] rle(byte[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + labels.length / 64);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            int i = 0;
            while (i < labels.length) {
                byte v = labels[i];
                int j = i + 1;
                while (j < labels.length && labels[j] == v) {
                    j++;
                }
                out.writeRawByte(v);
                out.writeUInt32NoTag(j - i);
                i = j;
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    static byte[] unrle(ByteString rle, int expected) {
        byte[] out = new byte[expected];
        CodedInputStream in = rle.newCodedInput();
        int at = 0;
        try {
            while (!in.isAtEnd()) {
                byte v = in.readRawByte();
                int n = in.readUInt32();
                if (n <= 0 || (long) at + n > expected) {
                    throw new IllegalArgumentException("run of " + n + " at " + at + " overruns " + expected + " labels");
                }
                java.util.Arrays.fill(out, at, at + n, v);
                at += n;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed run-length mask: " + e.getMessage(), e);
        }
        if (at != expected) {
            throw new IllegalArgumentException("run-length mask holds " + at + " labels, expected " + expected);
        }
        return out;
    }

    static MaskSlab slab(LabelMap m, boolean fin) {
        return MaskSlab.newBuilder().setFirstSlice(m.firstSlice()).setSlices(m.slices()).setRows(m.rows())
                .setCols(m.cols()).setRle(ByteString.copyFrom(rle(m.toArray()))).setFinal(fin).build();
    }

    static LabelMap map(MaskSlab s) {
        return new LabelMap(s.getFirstSlice(), s.getSlices(), s.getRows(), s.getCols(),
                unrle(s.getRle(), Math.multiplyExact(Math.multiplyExact(s.getSlices(), s.getRows()), s.getCols())));
    }

    static com.edgeseg.proto.v1.SeriesHeader header(SeriesHeader h) {
        var b = com.edgeseg.proto.v1.SeriesHeader.newBuilder().setExpectedSlices(h.expectedSlices().orElse(0))
                .setRows(h.rows()).setCols(h.cols()).setRowSpacingMm(h.rowSpacingMm()).setColSpacingMm(h.colSpacingMm())
                .setRescaleSlope(h.rescaleSlope()).setRescaleIntercept(h.rescaleIntercept())
                .setPatientPosition(h.patientPosition().name()).addAllAutoClasses(h.autoClasses());
        for (double d : h.rowDirection()) {
            b.addRowDirection(d);
        }
        for (double d : h.colDirection()) {
            b.addColDirection(d);
        }
        if (h.slicePlan() != null) {
            for (double d : h.slicePlan().firstPosition()) {
                b.addFirstSlicePosition(d);
            }
            b.setSliceStepMm(h.slicePlan().stepMm());
        }
        return b.build();
    }

    static SeriesHeader header(com.edgeseg.proto.v1.SeriesHeader h) {
        PatientPosition pp;
        try {
            pp = h.getPatientPosition().isEmpty() ? PatientPosition.UNKNOWN : PatientPosition.valueOf(h.getPatientPosition());
        } catch (IllegalArgumentException e) {
            pp = PatientPosition.UNKNOWN;
        }
        SlicePlan plan = h.getFirstSlicePositionCount() == 0 ? null
                : new SlicePlan(h.getFirstSlicePositionList().stream().mapToDouble(Double::doubleValue).toArray(),
                h.getSliceStepMm());
        return new SeriesHeader(h.getExpectedSlices() == 0 ? OptionalInt.empty() : OptionalInt.of(h.getExpectedSlices()),
                h.getRows(), h.getCols(), h.getRowSpacingMm(), h.getColSpacingMm(),
                h.getRowDirectionList().stream().mapToDouble(Double::doubleValue).toArray(),
                h.getColDirectionList().stream().mapToDouble(Double::doubleValue).toArray(),
                h.getRescaleSlope(), h.getRescaleIntercept(), pp, List.copyOf(h.getAutoClassesList()), plan);
    }

    static com.edgeseg.proto.v1.Slice slice(Slice s) {
        var b = com.edgeseg.proto.v1.Slice.newBuilder().setInstanceNumber(s.instanceNumber());
        for (double d : s.imagePositionPatient()) {
            b.addImagePosition(d);
        }
        if (s.int16() != null) {
            ByteBuffer buf = ByteBuffer.allocate(2 * s.int16().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asShortBuffer().put(s.int16());
            b.setInt16Le(ByteString.copyFrom(buf.array()));
        } else {
            ByteBuffer buf = ByteBuffer.allocate(4 * s.float32().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(s.float32());
            b.setFloat32Le(ByteString.copyFrom(buf.array()));
        }
        return b.build();
    }

    /** A wire slice as the SDK's; a pixel payload of the wrong size is refused by the study's Loader. */
    static Slice slice(com.edgeseg.proto.v1.Slice s, int rows, int cols) {
        double[] pos = s.getImagePositionList().stream().mapToDouble(Double::doubleValue).toArray();
        if (s.hasInt16Le()) {
            ByteBuffer buf = s.getInt16Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            short[] v = new short[buf.remaining() / 2];
            buf.asShortBuffer().get(v);
            return Slice.int16(s.getInstanceNumber(), pos, rows, cols, v);
        }
        ByteBuffer buf = s.getFloat32Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(v);
        return Slice.float32(s.getInstanceNumber(), pos, rows, cols, v);
    }

    /** The gRPC status a typed failure stands for (docs/api.md lists them). */
    static Status status(Throwable t) {
        StudyException e = t instanceof StudyException s ? s : Convert.error(t);
        Status.Code code = switch (e.reason()) {
            case NOTHING_TO_UNDO, NOTHING_TO_REDO, NOT_READY, INCOMPLETE_SERIES, SLICE_AFTER_END -> Status.Code.FAILED_PRECONDITION;
            case STUDY_CLOSED -> Status.Code.NOT_FOUND;
            case MEMORY_BUDGET, QUEUE_FULL -> Status.Code.RESOURCE_EXHAUSTED;
            case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            case ENGINE_FAILURE, INTERNAL -> Status.Code.INTERNAL;
            default -> e instanceof SystemFaultException ? Status.Code.INTERNAL
                    : e instanceof ResourceExhaustedException ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.INVALID_ARGUMENT;
        };
        return Status.fromCode(code).withDescription(e.reason() + ": " + e.getMessage());
    }

    static AcquireEvent error(Throwable t) {
        Status s = status(t);
        StudyException e = t instanceof StudyException x ? x : Convert.error(t);
        return AcquireEvent.newBuilder().setSliceError(com.edgeseg.proto.v1.Error.newBuilder()
                .setCode(s.getCode().value()).setReason(e.reason().name()).setMessage(e.getMessage())).build();
    }

    /** A failed call as the SDK's typed exception, reason and message kept. */
    static StudyException exception(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            String d = sre.getStatus().getDescription() == null ? "" : sre.getStatus().getDescription();
            Reason r = Reason.INTERNAL;
            int colon = d.indexOf(':');
            if (colon > 0) {
                try {
                    r = Reason.valueOf(d.substring(0, colon));
                    d = d.substring(colon + 1).trim();
                } catch (IllegalArgumentException ignored) {
                    // not one of ours: keep INTERNAL
                }
            }
            return switch (sre.getStatus().getCode()) {
                case INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, UNAUTHENTICATED, PERMISSION_DENIED ->
                        new InvalidRequestException(r == Reason.INTERNAL ? Reason.INVALID_PROMPT : r, d);
                case RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED -> new ResourceExhaustedException(
                        r == Reason.INTERNAL ? Reason.QUEUE_FULL : r, d);
                default -> new SystemFaultException(r, sre.getStatus().getCode() + ": " + d, sre);
            };
        }
        return Convert.error(t);
    }

    /**
     * A wire CT volume (int16 LE with rescale, C order, axis 0 slowest; 3×4 index-to-world) as a runtime volume.
     *
     * @throws IllegalArgumentException naming what was expected for wrong dims, affine or byte count
     */
    static com.edgeseg.volume.Volume volume(com.edgeseg.proto.v1.CtVolume v) {
        var g = v.getGeometry();
        if (g.getDimsCount() != 3 || g.getIndexToWorldCount() != 12) {
            throw new IllegalArgumentException("geometry has " + g.getDimsCount() + " dims and "
                    + g.getIndexToWorldCount() + " affine values; expected 3 dims and 12 values (3x4 row-major)");
        }
        long n = 1;
        for (int d : g.getDimsList()) {
            if (d < 1) {
                throw new IllegalArgumentException("dims " + g.getDimsList() + "; expected 3 positive sizes");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8 || v.getVoxelsInt16Le().size() != 2 * n) {
            throw new IllegalArgumentException(v.getVoxelsInt16Le().size() + " voxel bytes for dims " + g.getDimsList()
                    + "; expected 2 bytes per voxel (" + (2 * n) + ")");
        }
        double slope = v.getRescaleSlope() == 0 ? 1 : v.getRescaleSlope();
        if (!Double.isFinite(slope) || !Double.isFinite(v.getRescaleIntercept())) {
            throw new IllegalArgumentException("rescale " + slope + ", " + v.getRescaleIntercept()
                    + "; expected finite numbers");
        }
        double[] m = new double[16];
        for (int i = 0; i < 12; i++) {
            m[i] = g.getIndexToWorld(i);
        }
        m[15] = 1;
        ByteBuffer buf = v.getVoxelsInt16Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] hu = new float[(int) n];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (float) (buf.getShort() * slope + v.getRescaleIntercept());
        }
        return com.edgeseg.volume.Volume.wrap(com.edgeseg.geometry.Geometry.of(
                new com.edgeseg.geometry.Dims(g.getDims(0), g.getDims(1), g.getDims(2)),
                com.edgeseg.geometry.Affine.of(m)), hu);
    }
}
