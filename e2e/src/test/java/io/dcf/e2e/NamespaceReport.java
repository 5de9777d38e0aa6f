package io.dcf.e2e;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a namespace's pods and events say, for the message of a failed e2e step: each pod's phase,
 * container states (waiting reason, last termination, restarts) and the tail of its log, then the
 * namespace's latest events. Never throws: what cannot be read is said instead.
 */
final class NamespaceReport {

    private static final int LOG_LINES = 40;
    private static final int EVENTS = 25;

    private NamespaceReport() {
    }

    static String of(CoreV1Api core, String namespace) {
        StringBuilder out = new StringBuilder("\n--- namespace ").append(namespace).append(" ---\n");
        try {
            for (V1Pod pod : core.listNamespacedPod(namespace).execute().getItems()) {
                pod(core, namespace, pod, out);
            }
            List<CoreV1Event> events = core.listNamespacedEvent(namespace).execute().getItems().stream()
                    .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), ""))).toList();
            out.append("events:\n");
            events.subList(Math.max(0, events.size() - EVENTS), events.size()).forEach(e -> out.append("  ")
                    .append(e.getType()).append(' ').append(e.getReason()).append(' ')
                    .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName())
                    .append(": ").append(e.getMessage()).append('\n'));
        } catch (ApiException e) {
            out.append("cannot read it: HTTP ").append(e.getCode()).append(' ').append(e.getResponseBody()).append('\n');
        } catch (RuntimeException e) {
            out.append("cannot read it: ").append(e).append('\n');
        }
        return out.toString();
    }

    private static String state(V1ContainerState state) {
        if (state == null) {
            return "-";
        }
        if (state.getWaiting() != null) {
            return "waiting " + state.getWaiting().getReason() + " " + Objects.toString(state.getWaiting().getMessage(), "");
        }
        if (state.getTerminated() != null) {
            return "terminated " + state.getTerminated().getReason() + " exit " + state.getTerminated().getExitCode();
        }
        return state.getRunning() != null ? "running" : "-";
    }

    private static void pod(CoreV1Api core, String namespace, V1Pod pod, StringBuilder out) {
        String name = pod.getMetadata().getName();
        out.append("pod ").append(name).append(": ").append(pod.getStatus().getPhase()).append('\n');
        List<V1ContainerStatus> containers = pod.getStatus().getContainerStatuses();
        for (V1ContainerStatus c : containers == null ? List.<V1ContainerStatus>of() : containers) {
            out.append("  container ").append(c.getName()).append(" ready=").append(c.getReady())
                    .append(" restarts=").append(c.getRestartCount()).append(" state=").append(state(c.getState()))
                    .append(" last=").append(state(c.getLastState())).append('\n');
        }
        try {
            String log = core.readNamespacedPodLog(name, namespace).tailLines(LOG_LINES).execute();
            out.append("  log (last ").append(LOG_LINES).append(" lines):\n").append(log == null ? "" : log.indent(4));
        } catch (ApiException e) {
            out.append("  no log: HTTP ").append(e.getCode()).append('\n');
        }
    }
}
