package io.dcf.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings ({@code dcf.gateway.*}; environment variables such as
 * {@code DCF_GATEWAY_PORT} override them).
 *
 * @param port           the HTTP + gRPC port; 0 picks a free one
 * @param bindAddress    the address to listen on: 127.0.0.1 in local mode, 0.0.0.0 in a cluster
 * @param home           where specs, artifacts and logs live ({@code DCF_HOME}, default ~/.dcf)
 * @param backend        which {@code FunctionBackend} runs functions: {@code local} (child processes, DCF_HOME
 *                       is the store) or {@code kubernetes} (Deployments in a namespace, the cluster is the store)
 * @param maxBody        the largest request body accepted unless a function sets its own
 * @param maxModelSize   the largest model file {@code UpdateModel} accepts ({@code dcf function update-model});
 *                       uploads are spooled to {@code <home>/uploads} while they arrive
 * @param defaultTimeout the longest one call may run unless a function sets its own
 * @param streamIdleTimeout how long a stream may pass no message either way before the gateway
 *                       ends it (DEADLINE_EXCEEDED), freeing its replica slot; at least the
 *                       function's timeout
 * @param maxReplicas    the most replicas a function may ask for
 * @param local          settings of the local backend
 * @param kubernetes     settings of the Kubernetes backend
 * @param autoscaler     the autoscaler of functions with a {@code scale} spec, and calls waiting for a replica
 * @param buildService   where the Kubernetes backend has source built into images
 * @param auth           who may call the management API (and functions with {@code auth: token})
 * @param tls            optional TLS on the gateway port
 * @param allowedHosts   host names requests may address besides localhost, 127.0.0.1, [::1] and a
 *                       specific bind address ({@code *}: any); others get 403 (DNS rebinding defence)
 * @param metrics        the Prometheus endpoint {@code /metrics} (docs/metrics.md)
 */
@Validated
@ConfigurationProperties("dcf.gateway")
public record GatewayProperties(
        @DefaultValue("31113") @Min(0) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @NotNull Path home,
        @DefaultValue("local") @Pattern(regexp = "local|kubernetes", message = "must be local or kubernetes")
        String backend,
        @DefaultValue("16MB") @NotNull DataSize maxBody,
        @DefaultValue("4GB") @NotNull DataSize maxModelSize,
        @DefaultValue("30s") @NotNull Duration defaultTimeout,
        @DefaultValue("5m") @NotNull Duration streamIdleTimeout,
        @DefaultValue("64") @Min(1) int maxReplicas,
        @DefaultValue @Valid Local local,
        @DefaultValue @Valid Kubernetes kubernetes,
        @DefaultValue @Valid Autoscaler autoscaler,
        @DefaultValue @Valid BuildService buildService,
        @DefaultValue @Valid Auth auth,
        @DefaultValue List<String> allowedHosts,
        @DefaultValue @Valid Tls tls,
        @DefaultValue @Valid Metrics metrics) {

    /**
     * Settings of the local backend, which runs replicas as child processes.
     *
     * @param watcherJar       watcher-java's runnable jar; empty finds it beside the gateway
     * @param runtimesDir      the runtimes directory (holds the Python watcher); empty finds it
     * @param java             the java executable for Java replicas; empty uses the gateway's own
     * @param python           the Python for Python replicas; empty tries DCF_PYTHON, /usr/bin/python3, python3
     * @param replicaJvmOptions JVM options for Java replicas
     * @param watcherArchive   watcher-java's AppCDS archive; empty: {@code dcf-watcher.jsa} beside the watcher jar,
     *                         {@code none}: no archive (docs/runtimes.md, "Java replica start")
     * @param readyTimeout     how long a new replica may take to become ready before a deploy or update fails
     * @param drainTimeout     how long a stopping replica may finish its calls in flight
     * @param maxConcurrency   calls one replica admits at once
     * @param restartBackoffMin the first delay before restarting a crashed replica
     * @param restartBackoffMax the longest delay between restarts
     * @param runAs            the user replicas run as when the gateway is root: {@code auto} (nobody, when it
     *                         can read what replicas need), {@code none}, or a user name
     * @param replicaSecrets   whether replicas refuse calls without their per-process secret; turn off only to
     *                         benchmark a replica called directly
     * @param health           active health checks of ready replicas
     * @param logMaxSize       the size at which a replica's log file is rotated
     * @param logFiles         how many files of each replica's log are kept, the current one included
     * @param maxCodeSize      the bytes all deploys in progress may lay out together (zips expanded, local paths
     *                         copied): one budget shared by concurrent deploys
     * @param maxCodeEntries   the most files and directories one function's code may hold
     * @param maxCodeDepth     the deepest directory nesting one function's code may hold
     * @param generationsKept  how many generations of each function keep their code on disk, the current one
     *                         included: the versions {@code dcf function rollback} can go to (older versions stay
     *                         listed by {@code dcf function versions}, marked unavailable)
     * @param warmPool         generic watcher processes kept started per runtime (Java, Python) for new replicas
     *                         to take (docs/operations.md, "The warm pool"); 1 by default; 0 turns the pool
     *                         off
     */
    public record Local(
            @DefaultValue("") String watcherJar,
            @DefaultValue("") String runtimesDir,
            @DefaultValue("") String java,
            @DefaultValue("") String python,
            @DefaultValue("-XX:+UseSerialGC,-Xss512k") String replicaJvmOptions,
            @DefaultValue("") String watcherArchive,
            @DefaultValue("60s") @NotNull Duration readyTimeout,
            @DefaultValue("10s") @NotNull Duration drainTimeout,
            @DefaultValue("64") @Min(1) int maxConcurrency,
            @DefaultValue("200ms") @NotNull Duration restartBackoffMin,
            @DefaultValue("10s") @NotNull Duration restartBackoffMax,
            @DefaultValue("auto") String runAs,
            @DefaultValue("true") boolean replicaSecrets,
            @DefaultValue @Valid Health health,
            @DefaultValue("10MB") @NotNull DataSize logMaxSize,
            @DefaultValue("3") @Min(1) int logFiles,
            @DefaultValue("2GB") @NotNull DataSize maxCodeSize,
            @DefaultValue("10000") @Min(1) int maxCodeEntries,
            @DefaultValue("32") @Min(1) int maxCodeDepth,
            @DefaultValue("5") @Min(1) int generationsKept,
            @DefaultValue("1") @Min(0) int warmPool) {
    }

    /**
     * Settings of the Kubernetes backend, which runs each function as a Deployment (docs/kubernetes.md).
     *
     * @param namespace        the namespace functions live in (the gateway's Role must grant it)
     * @param kubeconfig       a kubeconfig file to reach the API server with; empty: {@code KUBECONFIG},
     *                         then {@code ~/.kube/config}, then the pod's service account (in-cluster)
     * @param requestTimeout   the deadline of one Kubernetes API call (connect, read and write)
     * @param readyTimeout     how long a deploy or update waits for a ready pod of the new version
     * @param watchTimeout     how long one watch of the gateway's informers lasts before it is renewed
     * @param ejection         how long a pod whose calls failed in a row stays out of its function's route
     * @param watcherPort      the port the gateway calls pods on (the watcher contract's 50051; change it
     *                         only where pods are not real containers, as in tests)
     * @param imagePullSecrets Secrets in the namespace every function pod pulls its image with
     * @param imagePullPolicy  {@code Always} (an update with the same tag pulls again), {@code IfNotPresent}
     *                         or {@code Never}
     * @param maxConcurrency   calls (and open streams) one pod admits at once
     * @param drainTimeout     how long a stopping pod may finish its calls in flight
     */
    public record Kubernetes(
            @DefaultValue("dcf-fn") @NotBlank String namespace,
            @DefaultValue("") String kubeconfig,
            @DefaultValue("10s") @NotNull Duration requestTimeout,
            @DefaultValue("120s") @NotNull Duration readyTimeout,
            @DefaultValue("5m") @NotNull Duration watchTimeout,
            @DefaultValue("5s") @NotNull Duration ejection,
            @DefaultValue("50051") @Min(1) @Max(65535) int watcherPort,
            @DefaultValue List<String> imagePullSecrets,
            @DefaultValue("Always") @Pattern(regexp = "Always|IfNotPresent|Never",
                    message = "must be Always, IfNotPresent or Never") String imagePullPolicy,
            @DefaultValue("64") @Min(1) int maxConcurrency,
            @DefaultValue("10s") @NotNull Duration drainTimeout) {
    }

    /**
     * The autoscaler (docs/autoscaling.md): Knative's KPA model for functions with a {@code scale} spec,
     * and the queue where calls wait while a function scales from zero.
     *
     * @param enabled           false: no function is scaled by load (a scale spec's min is what runs)
     * @param tick              how often each function's in-flight calls are sampled and a decision made
     * @param stableWindow      the window averaged for the normal decision
     * @param panicWindow       the short window watched for bursts
     * @param panicThreshold    panic (scale up on the short window, never down) when it asks for this many times
     *                          the ready replicas
     * @param maxScaleUpRate    at most this many times the current replicas in one decision
     * @param maxScaleDownRate  at least the current replicas divided by this in one decision
     * @param targetInflight    in-flight calls per replica aimed at when a spec sets no {@code target_inflight}
     * @param queueSize         calls of one function that may wait for a replica; more get 429 / RESOURCE_EXHAUSTED
     * @param activationTimeout how long a call waits for a replica before 503 with Retry-After / UNAVAILABLE
     */
    public record Autoscaler(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") @NotNull Duration tick,
            @DefaultValue("60s") @NotNull Duration stableWindow,
            @DefaultValue("6s") @NotNull Duration panicWindow,
            @DefaultValue("2.0") @DecimalMin(value = "1.0", inclusive = false) double panicThreshold,
            @DefaultValue("1000") @DecimalMin(value = "1.0", inclusive = false) double maxScaleUpRate,
            @DefaultValue("2.0") @DecimalMin(value = "1.0", inclusive = false) double maxScaleDownRate,
            @DefaultValue("10") @Min(1) int targetInflight,
            @DefaultValue("1000") @Min(1) int queueSize,
            @DefaultValue("30s") @NotNull Duration activationTimeout) {
    }

    /**
     * build-service, which builds a Deploy's or Update's source into an image in Kubernetes mode
     * (docs/build-service.md). In local mode the gateway builds by itself and these are unused.
     *
     * @param address           {@code host:port} of build-service's gRPC port the gateway dials; empty: no
     *                          build-service, so a deploy must name an image
     * @param advertisedAddress {@code host:port} clients (the dcf CLI) reach build-service at, reported by
     *                          {@code Info}; empty: the same as {@code address}
     * @param timeout           the longest one build may take, upload and push included; past it the build
     *                          is cancelled and the deploy fails with DEADLINE_EXCEEDED
     */
    public record BuildService(
            @DefaultValue("") String address,
            @DefaultValue("") String advertisedAddress,
            @DefaultValue("10m") @NotNull Duration timeout) {

        /** What clients are told: the advertised address, else the one the gateway dials. */
        public String advertised() {
            return advertisedAddress.isBlank() ? address : advertisedAddress;
        }
    }

    /**
     * Active health checks of ready replicas (docs/operations.md, "Replica health").
     *
     * @param interval       how often each ready replica's grpc.health is asked
     * @param timeout        the deadline of one check (less than the interval)
     * @param unhealthyAfter checks in a row without an answer that take a replica out of rotation
     * @param ejection       how long a replica ejected after failed calls stays out at least
     */
    public record Health(
            @DefaultValue("1s") @NotNull Duration interval,
            @DefaultValue("500ms") @NotNull Duration timeout,
            @DefaultValue("2") @Min(1) int unhealthyAfter,
            @DefaultValue("5s") @NotNull Duration ejection) {
    }

    /**
     * Authentication: management calls (and calls of functions with {@code auth: token}) need
     * the gateway's bearer token.
     *
     * @param enabled   false turns authentication off (logged as a warning at start): anyone who can
     *                  reach the port may deploy code that runs as the gateway's user
     * @param token     the token itself ({@code DCF_GATEWAY_AUTH_TOKEN}); wins over the file
     * @param tokenFile a file holding the token (first line); empty means {@code <home>/token},
     *                  generated (mode 0600) when missing
     * @param reloadInterval how often the token file is checked for a new token (rotation without restart)
     */
    public record Auth(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String token,
            @DefaultValue("") String tokenFile,
            @DefaultValue("10s") @NotNull Duration reloadInterval) {
    }

    /**
     * TLS on the gateway port: set both files to serve HTTPS and gRPC over TLS only.
     *
     * @param cert           the certificate chain (PEM); empty means plaintext
     * @param key            its private key (PEM, PKCS#8)
     * @param reloadInterval how often the files are checked for a change (a renewed certificate)
     */
    public record Tls(
            @DefaultValue("") String cert,
            @DefaultValue("") String key,
            @DefaultValue("10s") @NotNull Duration reloadInterval) {

        public boolean enabled() {
            return !cert.isBlank() || !key.isBlank();
        }
    }

    /**
     * Metrics (docs/metrics.md).
     *
     * @param enabled   false binds a registry that keeps nothing and serves no {@code /metrics} (to measure
     *                  what the meters cost; {@code dcf function list} then shows no invocation counts)
     * @param auth      who may read {@code /metrics}: {@code none} (anyone who reaches the port, as Prometheus
     *                  scrapes OpenFaaS) or {@code token} (the gateway's bearer token, as management calls)
     * @param replicaStatsInterval how often each ready replica is asked for its own counters ({@code Watcher/Stats}:
     *                  the {@code dcf_replica_*} meters, and the autoscaler's in-flight); 0 asks none
     * @param replicaStatsTimeout  the deadline of one such ask
     */
    public record Metrics(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("none") @Pattern(regexp = "none|token", message = "must be none or token") String auth,
            @DefaultValue("5s") @NotNull Duration replicaStatsInterval,
            @DefaultValue("2s") @NotNull Duration replicaStatsTimeout) {

        public boolean tokenRequired() {
            return auth.equals("token");
        }
    }
}
