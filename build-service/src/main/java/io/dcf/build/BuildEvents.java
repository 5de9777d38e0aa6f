package io.dcf.build;

import io.dcf.proto.v1.BuildPhase;

/**
 * Where a builder reports what happens in a build; each report becomes a
 * {@code dcf.v1.BuildEvent} that followers see live. Thread-safe; never blocks for long.
 */
public interface BuildEvents {

    /** The build moved to {@code phase} (BUILDING, PUSHING; the service sets the others). */
    void phase(BuildPhase phase);

    /** A line of the build's log (compiler, pip, the executor). Never log a credential. */
    void log(String line);

    /** Progress of the current phase; {@code total} 0 when unknown; unit "bytes" or "layers". */
    void progress(long done, long total, String unit);

    /** Whether the build was cancelled: a builder checks it between steps and stops. */
    boolean cancelled();
}
