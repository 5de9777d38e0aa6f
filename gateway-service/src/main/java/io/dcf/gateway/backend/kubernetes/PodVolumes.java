package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.FunctionMetadata.invalid;

import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A function pod's volumes: an emptyDir at {@value #TMP_PATH} (the root file system is
 * read-only) and each of the spec's {@code secrets}, a Secret of that name in the function's
 * namespace, mounted read-only at {@value #SECRETS_DIR}{@code /<name>} (one file per key).
 * OpenFaaS mounts them at /var/openfaas/secrets. Pure.
 */
final class PodVolumes {

    static final String TMP = "tmp";
    static final String TMP_PATH = "/tmp";
    static final String SECRETS_DIR = "/var/dcf/secrets";
    /** Secret files are readable by the pod's group (its fsGroup) and nobody else. */
    static final int SECRET_MODE = 0440;

    private PodVolumes() {
    }

    static List<V1Volume> volumes(FunctionSpec spec) {
        List<V1Volume> volumes = new ArrayList<>();
        volumes.add(new V1Volume().name(TMP).emptyDir(new V1EmptyDirVolumeSource()));
        List<String> secrets = secrets(spec);
        for (int i = 0; i < secrets.size(); i++) {
            volumes.add(new V1Volume().name(secretVolume(i)).secret(new V1SecretVolumeSource()
                    .secretName(secrets.get(i)).defaultMode(SECRET_MODE)));
        }
        return volumes;
    }

    static List<V1VolumeMount> mounts(FunctionSpec spec) {
        List<V1VolumeMount> mounts = new ArrayList<>();
        mounts.add(new V1VolumeMount().name(TMP).mountPath(TMP_PATH));
        List<String> secrets = secrets(spec);
        for (int i = 0; i < secrets.size(); i++) {
            mounts.add(new V1VolumeMount().name(secretVolume(i)).mountPath(SECRETS_DIR + "/" + secrets.get(i))
                    .readOnly(true));
        }
        return mounts;
    }

    /** The spec's secrets, each once, in the order given; each a valid Secret name. */
    static List<String> secrets(FunctionSpec spec) {
        Set<String> secrets = new LinkedHashSet<>();
        for (String secret : spec.getSecretsList()) {
            if (!KubernetesNames.isDns1123Subdomain(secret)) {
                throw invalid(spec, "secrets: '" + secret + "' is not a valid Secret name (expected: "
                        + KubernetesNames.SUBDOMAIN_RULE + ")");
            }
            secrets.add(secret);
        }
        return List.copyOf(secrets);
    }

    private static String secretVolume(int index) {
        return "secret-" + index;
    }
}
