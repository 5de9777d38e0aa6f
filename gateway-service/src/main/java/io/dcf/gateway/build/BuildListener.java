package io.dcf.gateway.build;

import io.dcf.proto.v1.BuildEvent;

/**
 * Receives the events of one build as they happen (phases, log lines, progress, and the
 * {@code done} event last): what {@code DeployFollow} streams to its caller. Called from the
 * building thread and, for a process's output, from the thread reading it: implementations are
 * thread-safe and never block for long.
 */
@FunctionalInterface
public interface BuildListener {

    /** Ignores every event (the unary Deploy and Update). */
    BuildListener NONE = event -> {
    };

    void event(BuildEvent event);
}
