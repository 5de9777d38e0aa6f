package io.dcf.watcher;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes watcher-java's AppCDS archive (docs/runtimes.md, "Java replica start"): runs the shaded
 * jar as the gateway does (port file, secret on standard input, exit with the parent) under
 * {@code -XX:ArchiveClassesAtExit}, drives it through what a replica's life loads (health, calls,
 * a failing call, a stream, stats, the drain on SIGTERM), and checks that it exited 0 and left
 * the archive. Run by the build (watcher-java's pom, phase {@code package}, after the shade):
 * {@code CdsTraining <java> <jar> <archive> <handler class path> [JVM option...]}.
 */
public final class CdsTraining {

    private static final long DEADLINE_SECONDS = 120;
    private static final String SECRET = "cds-training-secret";

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: CdsTraining <java> <jar> <archive> <handler class path>"
                    + " [JVM option...]");
        }
        Path archive = Path.of(args[2]).toAbsolutePath();
        Path work = Files.createTempDirectory("dcf-cds-training");
        // The JVM writes the archive as it exits; a build killed meanwhile would leave a truncated
        // file, which JDK 17 maps and crashes on (SIGBUS). So it is written beside the archive and
        // moved into place only once the watcher exited 0: an interrupted build leaves no archive.
        Path partial = archive.resolveSibling(archive.getFileName() + ".part");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(partial);
        List<String> command = new ArrayList<>(List.of(args[0], "-XX:ArchiveClassesAtExit=" + partial));
        command.addAll(List.of(args).subList(4, args.length));
        command.addAll(List.of("-jar", Path.of(args[1]).toAbsolutePath().toString()));
        Path log = work.resolve("watcher.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(java.util.Map.of("DCF_FUNCTION_NAME", "cds-training",
                "DCF_HANDLER", ScriptedHandler.class.getName(), "DCF_HANDLER_PATH", args[3],
                "DCF_WATCHER_HOST", "127.0.0.1", "DCF_WATCHER_PORT", "0",
                "DCF_WATCHER_PORT_FILE", work.resolve("port").toString(),
                "DCF_EXIT_WITH_PARENT", "true", "DCF_REPLICA_SECRET_STDIN", "true"));
        Process process = builder.start();
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((SECRET + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            train(process, work.resolve("port"));
            process.destroy(); // SIGTERM: the drain's classes are archived too
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("the watcher did not exit 0 after SIGTERM; its log:\n" + read(log));
            }
        } finally {
            process.destroyForcibly();
        }
        if (!Files.isRegularFile(partial)) {
            throw new IllegalStateException("the watcher exited without writing " + partial + "; its log:\n" + read(log));
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("CDS archive " + archive + " (" + Files.size(archive) / 1024 + " KiB)");
    }

    private static void train(Process process, Path portFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!Files.exists(portFile) || Files.size(portFile) == 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the watcher exited or wrote no port file");
            }
            Thread.sleep(10); // polls a file a process writes: nothing to wait on
        }
        int port = Integer.parseInt(Files.readString(portFile).strip());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            awaitServing(channel, deadline);
            Metadata headers = new Metadata();
            headers.put(ReplicaSecret.HEADER, SECRET);
            WatcherGrpc.WatcherBlockingStub watcher = WatcherGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                watcher.call(request("training " + i));
            }
            expectFailure(() -> watcher.call(request("throw:training")));
            expectFailure(() -> WatcherGrpc.newBlockingStub(channel).call(request("no secret")));
            watcher.stats(StatsRequest.getDefaultInstance());
            stream(WatcherGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitServing(ManagedChannel channel, long deadline) throws InterruptedException {
        HealthCheckRequest check = HealthCheckRequest.newBuilder().setService(WatcherGrpc.SERVICE_NAME).build();
        while (true) {
            try {
                if (HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(check)
                        .getStatus() == ServingStatus.SERVING) {
                    return;
                }
            } catch (StatusRuntimeException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the watcher did not report SERVING");
            }
            Thread.sleep(10);
        }
    }

    private static void stream(WatcherGrpc.WatcherStub stub) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        StreamObserver<CallRequest> requests = stub.calls(new StreamObserver<>() {
            private int replies;

            @Override
            public void onNext(CallReply reply) {
                replies++;
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(replies);
            }
        });
        for (int i = 0; i < 5; i++) {
            requests.onNext(request("frame " + i));
        }
        requests.onCompleted();
        done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static void expectFailure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException expected) {
            return;
        }
        throw new IllegalStateException("a call expected to fail succeeded");
    }

    private static CallRequest request(String text) {
        return CallRequest.newBuilder().setInput(ByteString.copyFromUtf8(text)).build();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }
}
