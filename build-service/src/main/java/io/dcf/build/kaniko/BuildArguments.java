package io.dcf.build.kaniko;

import io.dcf.build.BuildFailedException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.FunctionRuntime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The executor's {@code --build-arg}s of one function: its runtime's defaults from list.yml
 * (for tensorflow-gpu: CUDA_VERSION, CUDNN_VERSION, UBUNTU_VERSION, TENSORFLOW_VERSION), then
 * the spec's {@code build_args} (a name given again wins), then {@code build_packages} joined
 * by spaces as {@code ADDITIONAL_PACKAGE}. Each is one argv element (no shell); names and
 * package names are checked, since templates expand ADDITIONAL_PACKAGE in a shell. Pure.
 */
final class BuildArguments {

    static final String ADDITIONAL_PACKAGE = "ADDITIONAL_PACKAGE";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Debian/Alpine package names, optionally with =version or :arch. */
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+:=~_-]*");

    private BuildArguments() {
    }

    /**
     * The build args, in order: runtime defaults, the spec's, ADDITIONAL_PACKAGE.
     *
     * @param runtime the function's runtime, or null when list.yml does not know it (a bundle
     *                with its own Dockerfile): no defaults then
     * @throws BuildFailedException naming the function and the entry that is not {@code NAME=value}
     *                              or not a package name
     */
    static Map<String, String> of(FunctionRuntime runtime, FunctionSpec spec) {
        Map<String, String> args = new LinkedHashMap<>();
        if (runtime != null) {
            for (String arg : runtime.buildArgs()) {
                put(args, arg, "list.yml " + runtime.name() + ".build_args", spec.getName());
            }
        }
        List<String> given = spec.getBuildArgsList();
        for (int i = 0; i < given.size(); i++) {
            put(args, given.get(i), "build_args[" + i + "]", spec.getName());
        }
        List<String> packages = spec.getBuildPackagesList().stream().map(String::strip).filter(p -> !p.isEmpty())
                .toList();
        for (int i = 0; i < packages.size(); i++) {
            if (!PACKAGE.matcher(packages.get(i)).matches()) {
                throw new BuildFailedException("function " + spec.getName() + ": build_packages[" + i + "]: '"
                        + packages.get(i) + "' (expected: a package name such as libgomp1 or curl=7.88.1-10)");
            }
        }
        if (!packages.isEmpty()) {
            args.put(ADDITIONAL_PACKAGE, String.join(" ", packages));
        }
        return args;
    }

    private static void put(Map<String, String> args, String arg, String where, String function) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq).strip();
        if (eq < 0 || !NAME.matcher(name).matches()) {
            throw new BuildFailedException("function " + function + ": " + where + ": '" + arg
                    + "' (expected: NAME=value, e.g. PYTHON_VERSION=3.11)");
        }
        args.remove(name); // a name given again moves to its new place with its new value
        args.put(name, arg.substring(eq + 1));
    }
}
