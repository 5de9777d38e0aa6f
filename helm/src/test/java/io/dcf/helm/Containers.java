package io.dcf.helm;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Volume;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shortcuts into the gateway's Deployment. */
final class Containers {

    private Containers() {
    }

    static V1Container gateway(V1Deployment deployment) {
        List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> c.getName().equals("gateway")).findFirst()
                .orElseThrow(() -> new AssertionError("no container 'gateway' in " + containers));
    }

    /** The container's plain env values by name (null for those from a fieldRef). */
    static Map<String, String> env(V1Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (V1EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        return env;
    }

    static V1Volume volume(V1Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume '" + name + "'"));
    }
}
