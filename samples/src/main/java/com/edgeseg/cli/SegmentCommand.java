package com.edgeseg.cli;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.io.dicom.DicomSegWriter;
import com.edgeseg.io.dicom.DicomSeries;
import com.edgeseg.io.dicom.DicomSeriesReader;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.SegmentationResult;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code ./edgeseg segment}: one CT volume in, a label map on the same grid out. */
final class SegmentCommand implements Command {
    @Override
    public String name() {
        return "segment";
    }

    @Override
    public String summary() {
        return "segment a CT (NIfTI) automatically and/or with clicks; writes a label map on the input grid";
    }

    static String usage() {
        return String.join("\n",
                "usage: edgeseg segment --input CT.nii[.gz]|DICOM_DIR --output SEG.nii[.gz]|SEG.dcm [options]",
                "  --output SEG.dcm     a DICOM Segmentation referencing the input series (DICOM input only)",
                "  --input              a NIfTI file, or a folder holding one CT series as DICOM files (uncompressed)",
                "  --model DIR          model package (default: the shipped one named in models/DEFAULT)",
                "  --classes LIST       everything (default) | names | ids, comma separated, e.g. liver,spleen or 1,3;",
                "                       new:NAME with --click segments a structure the model was not trained on",
                "  --click x,y,z,+|-    a click in voxel indices of the input (repeatable); + marks the structure",
                "  --prev SEG.nii[.gz]  a previous label map the clicks edit (needs one --classes entry)",
                "  --profile P          product (default) | parity (reproduce the reference bundle's quirks)",
                "  --threads N          CPU threads for the engines (default: all cores)");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Optional<Options> parsed = Options.parse(args, Set.of("--input", "--output", "--model", "--prev", "--classes",
                "--click", "--profile", "--threads"), Set.of(), usage());
        if (parsed.isEmpty()) {
            out.println(usage());
            return Main.OK;
        }
        Options o = parsed.get();
        Path input = o.path("--input");
        Path output = o.path("--output");
        Path model = o.path("--model");
        Path prev = o.path("--prev");
        List<String> classes = new ArrayList<>();
        for (String v : o.all("--classes")) {
            if (v.isBlank()) {
                throw new UsageException("--classes is empty; expected everything, names or ids (omit the "
                        + "option for everything)");
            }
            classes.addAll(Arrays.stream(v.split(",")).map(String::trim).toList());
        }
        List<UserClick> clicks = o.all("--click").stream().map(UserClick::parse).toList();
        FidelityProfile profile = o.get("--profile", (n, v) -> FidelityProfile.named(v), FidelityProfile.product());
        int threads = o.get("--threads", Args::positiveInt, 0);
        if (input == null || output == null) {
            throw new UsageException("--input and --output are required\n" + usage());
        }
        boolean dicom = Files.isDirectory(input);
        boolean dicomSeg = output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dcm");
        if (dicomSeg && !dicom) {
            throw new UsageException("--output " + output + " is a DICOM-SEG, which references its source images; "
                    + "expected --input to be a DICOM series folder (or a .nii/.nii.gz output)");
        }
        if (!dicom) {
            CommandFiles.requireInput("--input", input);
        }
        if (prev != null) {
            CommandFiles.requireInput("--prev", prev);
        }
        CommandFiles.requireOutput("--output", output, input, prev);
        Path modelDir = model != null ? model : DefaultModel.resolve();
        ModelPackage pkg = ModelPackage.open(modelDir); // verified once, before any voxel is read
        DicomSeries series = dicom ? DicomSeriesReader.readSeries(input) : null;
        Volume ct = dicom ? series.volume() : NiftiReader.read(input);
        err.printf("segment: %s %s, spacing %s mm%n", input.getFileName(), ct.dims(),
                Arrays.toString(Arrays.stream(ct.geometry().spacing()).map(s -> Math.round(s * 1000) / 1000.0).toArray()));
        Optional<LabelVolume> previous = prev == null ? Optional.empty() : Optional.of(NiftiReader.readLabels(prev));
        SegmentationRequest request = new SegmentationRequest(classes, clicks, previous);
        EngineOptions options = threads > 0 ? EngineOptions.defaults().withThreads(threads) : EngineOptions.defaults();
        SegmentationResult result;
        try (Segmenter segmenter = Segmenter.open(pkg, options, profile)) {
            err.printf("segment: model %s (%s), profile %s%n", pkg.manifest().name(), modelDir,
                    profile.name());
            result = segmenter.segment(ct, request, ProgressListener.lines(err));
        }
        long t0 = System.nanoTime();
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (dicomSeg) {
            DicomSegWriter.write(output, series, result.labels(), result.classes(), pkg.manifest().name());
        } else {
            NiftiWriter.writeLabels(output, result.labels());
        }
        result.timings().add("write", System.nanoTime() - t0);
        out.println("wrote " + output + " " + result.labels().dims());
        for (Map.Entry<Integer, String> e : result.classes().entrySet()) {
            out.printf("  %3d %-28s %,d voxels%n", e.getKey(), e.getValue(), result.labels().count(e.getKey()));
        }
        out.println(result.timings().summary());
        return Main.OK;
    }
}
