package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One function built by build-service: its handler directory as a tar.gz bundle (the same
 * files {@code source_zip} would hold), uploaded, then followed to its end. Ctrl-C (or any
 * other end of the CLI) while it runs cancels the build.
 */
final class ServiceBuild {

    private static final Duration CANCEL_DEADLINE = Duration.ofSeconds(5);

    private ServiceBuild() {
    }

    /**
     * Builds {@code built} and returns the pushed image by digest.
     *
     * @param builder    {@code jib}, {@code kaniko}, or empty for build-service's choice
     * @param repository where to push ({@code registry/name}); empty for build-service's registry
     */
    static String run(Cli cli, BuildServiceClient client, FunctionBuild.Built built, String builder,
                      String repository, BuildDisplay display) throws IOException {
        String name = built.function().name();
        Path bundle = Files.createTempFile("dcf-bundle-", ".tar.gz");
        try {
            SourcePackager.tarGz(built.dir(), bundle);
            long size = Files.size(bundle);
            display.starting("Sending: " + name + " to build-service at " + client.address() + " ("
                    + BuildDisplay.mib(size) + " bundle)");
            BuildStart start = BuildStart.newBuilder().setSpec(built.spec()).setBuilder(builder)
                    .setRepository(repository).setBundleFormat("tar.gz").setBundleBytes(size).build();
            BuildStatus accepted = client.upload(start, bundle, sent -> display.uploaded(sent, size));
            display.accepted(accepted.getId());
            BuildStatus done = followCancellingOnExit(cli, client, name, accepted.getId(), display);
            if (done.getPhase() != BuildPhase.BUILD_PHASE_SUCCEEDED) {
                throw new CliException(ExitCode.GATEWAY, "build " + done.getId() + " of " + name + " "
                        + BuildDisplay.name(done.getPhase()) + ": "
                        + (done.getMessage().isBlank() ? "no reason given" : done.getMessage()));
            }
            display.built(name, done);
            return done.getImage();
        } finally {
            Files.deleteIfExists(bundle);
        }
    }

    private static BuildStatus followCancellingOnExit(Cli cli, BuildServiceClient client, String name, String id,
                                                      BuildDisplay display) {
        AtomicBoolean ended = new AtomicBoolean();
        Thread cancel = new Thread(() -> {
            if (ended.get()) {
                return;
            }
            try {
                client.cancel(id, CANCEL_DEADLINE);
                cli.err().println("Cancelled build " + id + " of " + name);
            } catch (CliException e) {
                cli.err().println("Cannot cancel build " + id + " of " + name + ": " + e.getMessage());
            }
        }, "dcf-cancel-build");
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            return client.follow(id, display::event);
        } finally {
            ended.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(cancel);
            } catch (IllegalStateException shuttingDown) {
                awaitQuietly(cancel); // Ctrl-C: the build ended because the hook cancelled it; let it finish first
            }
        }
    }

    /** Waits for a running hook (its Cancel call must end before the channel closes), at most the cancel's deadline. */
    private static void awaitQuietly(Thread hook) {
        try {
            hook.join(CANCEL_DEADLINE.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
