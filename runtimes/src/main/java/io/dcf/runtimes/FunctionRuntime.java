package io.dcf.runtimes;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One runtime of {@code list.yml}: what {@code dcf function init} copies, which watcher
 * serves its replicas and images, and whether the local backend can run it.
 *
 * @param name        the runtime's name, its key in list.yml ({@code python})
 * @param dir         its directory beside list.yml; {@code dir/template/} is the template
 * @param description one line for {@code dcf runtime list} and the docs
 * @param buildArgs   the {@code build_args} written to a new function's config.yaml (Dockerfile ARGs)
 * @param handlerFile the handler's file in the template, also the default {@code handler.file}
 *                    ({@code handler.py}); empty when the runtime names none
 * @param handlerName the handler's entry point ({@code Handler})
 * @param watcher     the watcher a replica or image of this runtime runs
 * @param local       whether the gateway's local backend runs it (as child processes)
 */
public record FunctionRuntime(String name, String dir, String description, List<String> buildArgs,
                              String handlerFile, String handlerName, Watcher watcher, boolean local) {

    public FunctionRuntime {
        requireNonNull(name, "name");
        requireNonNull(dir, "dir");
        requireNonNull(description, "description");
        buildArgs = List.copyOf(requireNonNull(buildArgs, "buildArgs"));
        requireNonNull(handlerFile, "handlerFile");
        requireNonNull(handlerName, "handlerName");
        requireNonNull(watcher, "watcher");
    }

    /** The watcher that serves a runtime's functions ({@code watcher:} in list.yml). */
    public enum Watcher {
        /** {@code watcher-java}: loads {@code io.dcf.sdk.Handler} classes. */
        JAVA,
        /** {@code runtimes/python/watcher}: loads a Python function or class. */
        PYTHON,
        /** The Go watcher, built into the function's image (no local mode). */
        GO;

        /** How list.yml spells it ({@code java}). */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
