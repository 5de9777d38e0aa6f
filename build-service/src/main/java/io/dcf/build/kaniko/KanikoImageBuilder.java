package io.dcf.build.kaniko;

import static java.util.Objects.requireNonNull;

import io.dcf.build.BuildEvents;
import io.dcf.build.BuildInput;
import io.dcf.build.BuiltImage;
import io.dcf.build.ImageBuilder;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds with Kaniko on the cluster (docs/build-service.md, "Kaniko builds"): writes the
 * build's context, hands it out by a one-time token ({@link BuildContexts}), runs one batch/v1
 * Job per build ({@link KanikoJobSpecs}) and follows it ({@link KanikoJob}): the executor's
 * log lines become build events, the digest comes back in its termination message, a failure
 * says why. Every API request has {@link KanikoSettings#requestTimeout()} as its deadline
 * (the {@code requests} client's); log streams run on the {@code streams} client and end with
 * the build.
 */
public final class KanikoImageBuilder implements ImageBuilder, AutoCloseable {

    final KanikoSettings settings;
    final BuildContexts contexts;
    final BatchV1Api batch;
    final CoreV1Api core;
    final CoreV1Api streams;
    final ExecutorService readers;
    private final KanikoContexts contextFiles;
    private final RuntimeCatalog catalog;

    private KanikoImageBuilder(KanikoSettings settings, BuildContexts contexts, ApiClient requests, ApiClient streams,
                               RuntimeCatalog catalog, Path runtimeFiles) {
        this.settings = requireNonNull(settings, "settings");
        this.contexts = requireNonNull(contexts, "contexts");
        this.batch = new BatchV1Api(requireNonNull(requests, "requests"));
        this.core = new CoreV1Api(requests);
        this.streams = new CoreV1Api(requireNonNull(streams, "streams"));
        this.catalog = requireNonNull(catalog, "catalog");
        this.contextFiles = new KanikoContexts(requireNonNull(runtimeFiles, "runtimeFiles"));
        if (settings.contextUrl().isEmpty()) {
            throw KanikoSettings.invalid("contextUrl", "", "build-service's in-cluster address, which build pods"
                    + " fetch contexts from, e.g. http://dcf-build-service.dcf.svc:8080");
        }
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dcf-kaniko-log-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A Kaniko builder.
     *
     * @param requests     API client whose read timeout is the request deadline
     * @param streams      API client without read timeout, for followed logs
     * @param runtimeFiles where the runtime templates and watchers are ({@code RuntimeFiles.classPathRoot()})
     */
    public static KanikoImageBuilder create(KanikoSettings settings, BuildContexts contexts, ApiClient requests,
                                            ApiClient streams, RuntimeCatalog catalog, Path runtimeFiles) {
        return new KanikoImageBuilder(settings, contexts, requests, streams, catalog, runtimeFiles);
    }

    @Override
    public String name() {
        return "kaniko";
    }

    @Override
    public BuiltImage build(BuildInput input, BuildEvents events) {
        requireNonNull(input, "input");
        requireNonNull(events, "events");
        events.phase(BuildPhase.BUILD_PHASE_BUILDING);
        FunctionRuntime runtime = catalog.find(input.spec().getRuntime()).orElse(null);
        var buildArgs = BuildArguments.of(runtime, input.spec());
        KanikoContexts.Prepared context = contextFiles.prepare(input, runtime);
        events.log("dcf: build context " + context.bytes() + " bytes, "
                + (context.ownDockerfile() ? "the function's own Dockerfile"
                : "the " + runtime.name() + " runtime's template Dockerfile"));
        String token = contexts.register(context.archive());
        try {
            URI url = URI.create(settings.contextBase() + BuildContexts.PATH.replace("{token}", token));
            KanikoBuild build = new KanikoBuild(input.id(), input.function(), input.repository() + ":" + input.tag(),
                    KanikoContexts.DOCKERFILE, buildArgs, url);
            String digest = new KanikoJob(this, build, events).run();
            return new BuiltImage(input.repository(), digest, 0);
        } finally {
            contexts.revoke(token);
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
