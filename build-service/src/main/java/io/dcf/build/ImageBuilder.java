package io.dcf.build;

/**
 * Turns one checked, extracted function bundle into an image in a registry. Implementations:
 * Jib in process ({@code jib}), a Kaniko Job on the cluster ({@code kaniko}). Blocking: the
 * build service runs each build on its own worker thread, never on an event loop.
 */
public interface ImageBuilder {

    /** "jib" or "kaniko": what {@code BuildStart.builder} and {@code BuildStatus.builder} say. */
    String name();

    /**
     * Builds {@code input} and pushes it, reporting phases, progress and log lines to
     * {@code events}. Returns the pushed image by digest. Stops early, throwing
     * {@link BuildCancelledException}, once {@link BuildEvents#cancelled()} turns true.
     *
     * @throws BuildFailedException with a message fit for the user (the first compiler
     *     error, the executor's exit code, OOMKilled, an image pull failure...)
     */
    BuiltImage build(BuildInput input, BuildEvents events);
}
