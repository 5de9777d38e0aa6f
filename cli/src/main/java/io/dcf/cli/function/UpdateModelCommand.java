package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.dcf.proto.v1.VersionsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dcf function update-model NAME --file model.bin [--path /models/model.bin]}. */
@Command(name = "update-model", mixinStandardHelpOptions = true,
        description = {"Give a function a new model file as a new version: its replicas are replaced one at a time "
                + "and read the file at $DCF_MODEL_PATH when they load.",
            "Locally the file goes into a new generation of the function's code; on Kubernetes the function's image "
                + "gets one more layer holding it (build-service). See docs/models.md."},
        footerHeading = "%n", footer = {"Examples:",
            "  dcf function update-model linear-model --file model.json",
            "  dcf function update-model scorer --file weights.bin --path /models/weights.bin",
            "  dcf function versions scorer"})
final class UpdateModelCommand implements Callable<Integer> {

    /** Uploading a large file and rolling every replica over can take long. */
    static final Duration DEADLINE = Duration.ofMinutes(30);

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The model file to upload.")
    private String file;

    @Option(names = "--path", paramLabel = "PATH",
            description = "Where handlers find the file: an absolute path (in the image; locally under the "
                    + "function's directory). Default: /models/<file name>.")
    private String path = "";

    @Mixin
    private GatewayOptions gateway;

    UpdateModelCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Path model = cli.resolve(file);
        if (!Files.isRegularFile(model)) {
            throw CliException.usage("--file: " + model + (Files.exists(model) ? " is not a regular file"
                    : " does not exist"));
        }
        long size = size(model);
        ModelStart start = ModelStart.newBuilder().setName(name).setPath(path)
                .setFileName(model.getFileName().toString()).setSizeBytes(size).build();
        cli.out().println("Uploading " + model.getFileName() + " (" + bytes(size) + ") to function " + name + "...");
        Progress progress = new Progress(size);
        FunctionStatus status;
        FunctionVersion version;
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(model), sha256);
             GatewayClient client = gateway.connect(cli, null)) {
            ChunkedUpload<ModelChunk, FunctionStatus> upload = new ChunkedUpload<>(
                    ModelChunk.newBuilder().setStart(start).build(), in,
                    data -> ModelChunk.newBuilder().setData(data).build(), progress::sent);
            status = client.stream(name, DEADLINE, stub -> {
                stub.updateModel(upload);
                return upload.reply().whenComplete((s, e) -> progress.done());
            });
            String sent = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            version = client.call(name, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.versions(VersionsRequest.newBuilder().setName(name).build()))
                    .getVersionsList().stream().filter(v -> v.getVersion() == status.getGeneration()).findFirst()
                    .orElse(FunctionVersion.getDefaultInstance());
            if (!version.getModelDigest().isEmpty() && !version.getModelDigest().equals(sent)) {
                throw new CliException(ExitCode.GATEWAY, "function " + name + ": the gateway recorded "
                        + version.getModelDigest() + " but " + sent + " was sent");
            }
        } catch (IOException e) {
            throw CliException.usage("--file: cannot read " + model + " (" + e.getMessage() + ")");
        }
        cli.out().println("Updated: " + name + " now runs version " + status.getGeneration()
                + (version.getModelPath().isEmpty() ? "" : " with " + version.getModelPath()
                        + " (" + version.getModelDigest() + ")")
                + "; " + status.getReadyReplicas() + " of " + status.getReplicas() + " replicas ready");
        return ExitCode.OK;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static long size(Path model) {
        try {
            return Files.size(model);
        } catch (IOException e) {
            throw CliException.usage("--file: cannot read " + model + " (" + e.getMessage() + ")");
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
    }

    /** Prints the bytes sent at every tenth of the file, then the roll-out phase. */
    private final class Progress {
        private final long total;
        private long nextReport;
        private boolean rolling;

        Progress(long total) {
            this.total = total;
            this.nextReport = Math.max(1, total / 10);
        }

        synchronized void sent(long sent) {
            if (sent >= nextReport || sent == total) {
                cli.out().println("  sent " + bytes(sent) + " of " + bytes(total));
                nextReport = sent + Math.max(1, total / 10);
            }
            if (sent == total && !rolling) {
                rolling = true;
                cli.out().println("Uploaded; the gateway checks the file and replaces the replicas one at a time...");
            }
        }

        synchronized void done() {
            rolling = true;
        }
    }
}
