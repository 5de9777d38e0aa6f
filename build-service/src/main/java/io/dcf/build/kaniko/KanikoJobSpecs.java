package io.dcf.build.kaniko;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch/v1 Job of one Kaniko build (docs/build-service.md, "Kaniko builds"): one pod, never
 * retried ({@code backoffLimit} 0, {@code restartPolicy} Never), bounded by
 * {@code activeDeadlineSeconds} and removed by {@code ttlSecondsAfterFinished}. Its init
 * container {@value #FETCHER} (non-root, read-only root file system, no capabilities) downloads
 * the context with its one-time URL into the emptyDir {@value #WORKSPACE}; the container
 * {@value #EXECUTOR} builds and pushes it and writes the digest to its termination log. Pure:
 * {@link KanikoImageBuilder} only sends it.
 */
final class KanikoJobSpecs {

    static final String FETCHER = "fetch-context";
    static final String EXECUTOR = "executor";
    static final String WORKSPACE = "/workspace";
    static final String DOCKER_CONFIG = "/kaniko/.docker";
    static final String TERMINATION_LOG = "/dev/termination-log";
    static final String CONTEXT_URL_ENV = "DCF_CONTEXT_URL";
    static final String BUILD_ID_LABEL = "dcf.io/build-id";
    static final String FUNCTION_LABEL = "dcf.io/function";
    /** The fetcher's user: nobody. */
    static final long FETCHER_USER = 65534L;
    /** What the executor keeps of a container runtime's default capabilities: enough to unpack and RUN. */
    static final List<String> EXECUTOR_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETFCAP");
    /** Downloads and unpacks the context; fails (and says so) on any error, e.g. a used token's 404. */
    static final String FETCH_SCRIPT = "set -e\n"
            + "cd " + WORKSPACE + "\n"
            + "timeout 300 wget -q -O .dcf-context.tar.gz \"$" + CONTEXT_URL_ENV + "\""
            + " || { echo \"dcf: cannot fetch the build context from build-service\" >&2; exit 1; }\n"
            + "tar -xzf .dcf-context.tar.gz\n"
            + "rm .dcf-context.tar.gz\n"
            + "echo \"dcf: build context fetched\"\n";

    private static final String WORKSPACE_VOLUME = "workspace";
    private static final String DOCKER_CONFIG_VOLUME = "docker-config";

    private KanikoJobSpecs() {
    }

    /** The Job of {@code build}, in {@code settings.namespace()}. */
    static V1Job job(KanikoSettings settings, KanikoBuild build) {
        Map<String, String> labels = labels(build);
        V1PodSpec pod = new V1PodSpec()
                .restartPolicy("Never")
                .automountServiceAccountToken(false)
                .enableServiceLinks(false)
                .securityContext(new V1PodSecurityContext().seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .volumes(volumes(settings))
                .initContainers(List.of(fetcher(settings, build)))
                .containers(List.of(executor(settings, build)));
        return new V1Job().apiVersion("batch/v1").kind("Job")
                .metadata(new V1ObjectMeta().name(build.jobName()).namespace(settings.namespace()).labels(labels))
                .spec(new V1JobSpec()
                        .backoffLimit(0)
                        .activeDeadlineSeconds(settings.activeDeadline().toSeconds())
                        .ttlSecondsAfterFinished((int) settings.ttlAfterFinished().toSeconds())
                        .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(pod)));
    }

    /** The executor's arguments. */
    static List<String> executorArgs(KanikoSettings settings, KanikoBuild build) {
        List<String> args = new ArrayList<>(List.of(
                "--context", "dir://" + WORKSPACE,
                "--dockerfile", WORKSPACE + "/" + build.dockerfile(),
                "--destination", build.destination(),
                "--digest-file", TERMINATION_LOG));
        build.buildArgs().forEach((name, value) -> {
            args.add("--build-arg");
            args.add(name + "=" + value);
        });
        for (String registry : settings.insecureRegistries()) {
            args.add("--insecure-registry");
            args.add(registry);
        }
        return args;
    }

    /** The labels of the Job and its pod; {@code dcf.io/build-id} selects the pod. */
    static Map<String, String> labels(KanikoBuild build) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", "dcf");
        labels.put("app.kubernetes.io/part-of", "dcf");
        labels.put("app.kubernetes.io/component", "build");
        labels.put(BUILD_ID_LABEL, build.jobName());
        labels.put(FUNCTION_LABEL, build.function());
        return labels;
    }

    private static List<V1Volume> volumes(KanikoSettings settings) {
        List<V1Volume> volumes = new ArrayList<>();
        volumes.add(new V1Volume().name(WORKSPACE_VOLUME).emptyDir(new V1EmptyDirVolumeSource()));
        if (!settings.registrySecret().isEmpty()) {
            volumes.add(new V1Volume().name(DOCKER_CONFIG_VOLUME).secret(new V1SecretVolumeSource()
                    .secretName(settings.registrySecret()).defaultMode(0400)
                    .items(List.of(new V1KeyToPath().key(".dockerconfigjson").path("config.json")))));
        }
        return volumes;
    }

    private static V1Container fetcher(KanikoSettings settings, KanikoBuild build) {
        return new V1Container().name(FETCHER).image(settings.fetcherImage())
                .command(List.of("sh", "-c", FETCH_SCRIPT))
                .env(List.of(new V1EnvVar().name(CONTEXT_URL_ENV).value(build.contextUrl().toString())))
                .volumeMounts(List.of(new V1VolumeMount().name(WORKSPACE_VOLUME).mountPath(WORKSPACE)))
                .resources(resources(settings.fetcher()))
                .securityContext(new V1SecurityContext().runAsNonRoot(true).runAsUser(FETCHER_USER)
                        .runAsGroup(FETCHER_USER).readOnlyRootFilesystem(true).allowPrivilegeEscalation(false)
                        .privileged(false).capabilities(new V1Capabilities().drop(List.of("ALL"))));
    }

    private static V1Container executor(KanikoSettings settings, KanikoBuild build) {
        List<V1VolumeMount> mounts = new ArrayList<>();
        mounts.add(new V1VolumeMount().name(WORKSPACE_VOLUME).mountPath(WORKSPACE));
        if (!settings.registrySecret().isEmpty()) {
            mounts.add(new V1VolumeMount().name(DOCKER_CONFIG_VOLUME).mountPath(DOCKER_CONFIG).readOnly(true));
        }
        return new V1Container().name(EXECUTOR).image(settings.executorImage())
                .args(executorArgs(settings, build))
                .volumeMounts(mounts)
                .terminationMessagePath(TERMINATION_LOG)
                .terminationMessagePolicy("File")
                .resources(resources(settings.executor()))
                // Kaniko unpacks base images and runs RUN steps as root in its own file system: it needs
                // root and a writable root; what else a runtime grants by default is dropped.
                .securityContext(new V1SecurityContext().runAsUser(0L).runAsNonRoot(false).privileged(false)
                        .allowPrivilegeEscalation(false)
                        .capabilities(new V1Capabilities().drop(List.of("ALL")).add(EXECUTOR_CAPABILITIES)));
    }

    private static V1ResourceRequirements resources(KanikoSettings.ContainerResources resources) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        putQuantity(requests, "cpu", resources.cpuRequest());
        putQuantity(requests, "memory", resources.memoryRequest());
        putQuantity(limits, "cpu", resources.cpuLimit());
        putQuantity(limits, "memory", resources.memoryLimit());
        V1ResourceRequirements requirements = new V1ResourceRequirements();
        if (!requests.isEmpty()) {
            requirements.requests(requests);
        }
        if (!limits.isEmpty()) {
            requirements.limits(limits);
        }
        return requirements;
    }

    private static void putQuantity(Map<String, Quantity> map, String name, String value) {
        if (!value.isEmpty()) {
            map.put(name, Quantity.fromString(value));
        }
    }
}
