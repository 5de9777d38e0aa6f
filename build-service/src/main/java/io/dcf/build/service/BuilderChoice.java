package io.dcf.build.service;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Which builder builds a bundle when the request leaves it to the service: Jib for the
 * {@code java} and {@code python} runtimes, Kaniko for the rest (go, tensorflow,
 * tensorflow-gpu: their images need a Dockerfile) and for any bundle with a Dockerfile of its
 * own (one that differs from its runtime template's). A Python build whose requirements are
 * not all pure-Python wheels moves from Jib to Kaniko later ({@code NotPureRequirementsException}).
 */
final class BuilderChoice {

    static final String JIB = "jib";
    static final String KANIKO = "kaniko";

    private final RuntimeCatalog catalog;

    BuilderChoice(RuntimeCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The builder, and why.
     *
     * @param automatic whether the service chose it (then a Python build may still move to Kaniko)
     */
    record Choice(String builder, boolean automatic, String reason) {
    }

    /** The requested builder, checked; INVALID_ARGUMENT for an unknown name. */
    static String requested(String builder) {
        if (builder.isEmpty() || builder.equals(JIB) || builder.equals(KANIKO)) {
            return builder;
        }
        throw BuildServiceException.invalid("builder: '" + builder + "' (expected: jib, kaniko, or empty to let"
                + " the service choose)");
    }

    Choice choose(FunctionSpec spec, String requested, Path sources) {
        FunctionRuntime runtime = runtime(spec);
        if (!requested.isEmpty()) {
            return new Choice(requested, false, "asked for");
        }
        if (!runtime.name().equals("java") && !runtime.name().equals("python")) {
            return new Choice(KANIKO, true, "runtime " + runtime.name() + " is built from its Dockerfile");
        }
        Path dockerfile = sources.resolve("Dockerfile");
        if (Files.isRegularFile(dockerfile) && !sameAsTemplate(runtime, dockerfile)) {
            return new Choice(KANIKO, true, "the bundle has a Dockerfile of its own");
        }
        return new Choice(JIB, true, "runtime " + runtime.name());
    }

    /** The spec's runtime from list.yml; INVALID_ARGUMENT naming the known ones. */
    FunctionRuntime runtime(FunctionSpec spec) {
        return catalog.find(spec.getRuntime()).orElseThrow(() -> BuildServiceException.invalid("function "
                + spec.getName() + ": runtime: '" + spec.getRuntime() + "' (expected one of: "
                + catalog.joinedNames() + ")"));
    }

    private static boolean sameAsTemplate(FunctionRuntime runtime, Path dockerfile) {
        String resource = "dcf-runtimes/" + runtime.dir() + "/template/Dockerfile";
        try (InputStream in = BuilderChoice.class.getClassLoader().getResourceAsStream(resource)) {
            return in != null && Arrays.equals(in.readAllBytes(), Files.readAllBytes(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + dockerfile + " with " + resource, e);
        }
    }
}
