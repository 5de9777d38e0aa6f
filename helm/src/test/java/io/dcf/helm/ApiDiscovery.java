package io.dcf.helm;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents of a Kubernetes API server of one minor version, served by fabric8's mock
 * server (CRUD mode stores the objects): {@code /version}, {@code /api}, {@code /apis} and each
 * group/version's resources, for the kinds the chart renders. Helm builds {@code .Capabilities}
 * (KubeVersion, APIVersions) from them exactly as from a real cluster. PodDisruptionBudget moved to
 * policy/v1 and EndpointSlice to discovery.k8s.io/v1 in 1.21; policy/v1beta1 went away in 1.25.
 */
final class ApiDiscovery {

    /** A resource of a group/version: plural name, kind, namespaced. */
    private record Resource(String name, String kind, boolean namespaced) {
    }

    private final int minor;
    private final Map<String, List<Resource>> groupVersions = new LinkedHashMap<>();

    private ApiDiscovery(int minor) {
        this.minor = minor;
        groupVersions.put("v1", List.of(new Resource("namespaces", "Namespace", false),
                new Resource("secrets", "Secret", true), new Resource("services", "Service", true),
                new Resource("serviceaccounts", "ServiceAccount", true), new Resource("pods", "Pod", true),
                new Resource("configmaps", "ConfigMap", true), new Resource("events", "Event", true)));
        groupVersions.put("apps/v1", List.of(new Resource("deployments", "Deployment", true),
                new Resource("deployments/scale", "Scale", true)));
        groupVersions.put("rbac.authorization.k8s.io/v1", List.of(new Resource("roles", "Role", true),
                new Resource("rolebindings", "RoleBinding", true),
                new Resource("clusterroles", "ClusterRole", false),
                new Resource("clusterrolebindings", "ClusterRoleBinding", false)));
        List<Resource> pdb = List.of(new Resource("poddisruptionbudgets", "PodDisruptionBudget", true));
        List<Resource> slices = List.of(new Resource("endpointslices", "EndpointSlice", true));
        if (minor >= 21) {
            groupVersions.put("policy/v1", pdb);
            groupVersions.put("discovery.k8s.io/v1", slices);
        }
        if (minor < 25) {
            groupVersions.put("policy/v1beta1", pdb);
            groupVersions.put("discovery.k8s.io/v1beta1", slices);
        }
    }

    /** Kubernetes 1.{@code minor}. */
    static ApiDiscovery ofMinor(int minor) {
        return new ApiDiscovery(minor);
    }

    /** Makes {@code server} answer discovery as this version does (client-go adds ?timeout=32s to discovery calls). */
    void serveOn(KubernetesMockServer server) {
        String version = String.format("{\"major\":\"1\",\"minor\":\"%d\",\"gitVersion\":\"v1.%d.2\","
                + "\"platform\":\"linux/amd64\"}", minor, minor);
        serve(server, "/version", version);
        serve(server, "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:6443\"}]}");
        serve(server, "/apis", groupList());
        groupVersions.forEach((groupVersion, resources) -> serve(server,
                groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion, resourceList(groupVersion, resources)));
    }

    private static void serve(KubernetesMockServer server, String path, String json) {
        for (String p : List.of(path, path + "?timeout=32s")) {
            server.expect().get().withPath(p).andReturn(200, json).always();
        }
    }

    private String groupList() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groupVersions.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> groups
                .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>())
                .add(gv.substring(gv.indexOf('/') + 1)));
        List<String> entries = new ArrayList<>();
        groups.forEach((group, versions) -> {
            List<String> v = versions.stream().map(version -> String.format(
                    "{\"groupVersion\":\"%s/%s\",\"version\":\"%s\"}", group, version, version)).toList();
            entries.add(String.format("{\"name\":\"%s\",\"versions\":[%s],\"preferredVersion\":%s}",
                    group, String.join(",", v), v.get(0)));
        });
        return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + String.join(",", entries) + "]}";
    }

    private static String resourceList(String groupVersion, List<Resource> resources) {
        List<String> entries = resources.stream().map(r -> String.format(
                "{\"name\":\"%s\",\"singularName\":\"\",\"namespaced\":%b,\"kind\":\"%s\",\"verbs\":"
                        + "[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}",
                r.name(), r.namespaced(), r.kind())).toList();
        return String.format("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"%s\","
                + "\"resources\":[%s]}", groupVersion, String.join(",", entries));
    }
}
