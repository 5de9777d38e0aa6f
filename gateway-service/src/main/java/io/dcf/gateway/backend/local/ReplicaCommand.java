package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.LoadRequest;
import io.grpc.Status;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, the whole environment (nothing else of the gateway's is inherited)
 * and the working directory of one replica process. Pure: built from the spec, the
 * installed code and the settings, so it is unit-tested without processes. The same
 * {@link WatcherContract} gives a pooled process's {@link #load Load} (docs/watcher-contract.md).
 */
record ReplicaCommand(List<String> command, Map<String, String> environment, Path workDir) {

    ReplicaCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    static ReplicaCommand of(FunctionSpec spec, InstalledArtifact code, LocalSettings settings, Path portFile,
                             Path functionDir, Path workDir) {
        boolean java = WatcherContract.javaWatcher(spec);
        Map<String, String> env = local(function(spec, code, settings), settings, portFile)
                .environment(base(settings, workDir));
        List<String> command = new ArrayList<>();
        command.addAll(settings.isolation().namespacePrefix(functionDir, workDir));
        command.addAll(watcherCommand(spec, code, settings));
        return new ReplicaCommand(command, env, workDir);
    }

    /**
     * The command line of a replica of {@code spec} after its mount namespace's words: the user it runs
     * as and its watcher. A pooled process fits a replica when its own is the same.
     */
    static List<String> watcherCommand(FunctionSpec spec, InstalledArtifact code, LocalSettings settings) {
        boolean java = WatcherContract.javaWatcher(spec);
        return watcher(spec.getName(), java, java ? "" : code.python().map(Path::toString).orElseGet(settings.python()),
                settings);
    }

    /** What a pooled watcher needs to become a replica of {@code spec}: the same facts as {@link #of}'s environment. */
    static LoadRequest load(FunctionSpec spec, InstalledArtifact code, LocalSettings settings) {
        return function(spec, code, settings).loadRequest();
    }

    /**
     * A generic watcher for the warm pool ({@code DCF_POOL=true}), named {@code name} until a Load
     * gives it a function, with the contract's process variables. Its mount namespace (when replicas
     * get one) shows only {@code workDir}, where a replica that takes it links its function's code.
     */
    static ReplicaCommand pooled(String name, boolean java, LocalSettings settings, Path portFile, Path workDir) {
        WatcherContract contract = local(WatcherContract.pool(name), settings, portFile);
        if (!java) {
            contract.python();
        }
        List<String> command = new ArrayList<>(settings.isolation().namespacePrefix(workDir, workDir));
        command.addAll(pooledWatcher(name, java, settings));
        return new ReplicaCommand(command, contract.environment(base(settings, workDir)), workDir);
    }

    /** {@link #pooled}'s command line after its mount namespace's words, to compare with {@link #watcherCommand}. */
    static List<String> pooledWatcher(String name, boolean java, LocalSettings settings) {
        return watcher(name, java, java ? "" : settings.python().get(), settings);
    }

    private static WatcherContract function(FunctionSpec spec, InstalledArtifact code, LocalSettings settings) {
        boolean java = WatcherContract.javaWatcher(spec);
        WatcherContract contract = limits(WatcherContract.of(spec, settings.defaultTimeout()), settings)
                .code(java ? joined(code.classpath()) : code.functionDir().toString(), code.functionDir().toString(),
                        !java);
        code.model().ifPresent(model -> contract.modelPath(model.toString()));
        return contract;
    }

    private static WatcherContract limits(WatcherContract contract, LocalSettings settings) {
        return contract.maxConcurrency(settings.maxConcurrency())
                .drainTimeout(settings.drainTimeout())
                .maxMessageBytes(settings.maxMessageBytes());
    }

    /** A local process: loopback, port file, ends with the gateway, its secret on standard input. */
    private static WatcherContract local(WatcherContract contract, LocalSettings settings, Path portFile) {
        return limits(contract, settings)
                .listen("127.0.0.1", 0)
                .portFile(portFile.toString())
                .exitWithParent(true)
                .secretOnStdin(settings.isolation().secrets());
    }

    private static Map<String, String> base(LocalSettings settings, Path workDir) {
        Map<String, String> base = new LinkedHashMap<>(settings.isolation().inherited());
        base.put("HOME", workDir.toString());
        base.put("TMPDIR", workDir.toString());
        return base;
    }

    /** The user to run as, then the runtime's watcher: the JVM with its options, or {@code python}. */
    private static List<String> watcher(String name, boolean java, String python, LocalSettings settings) {
        List<String> command = new ArrayList<>();
        settings.isolation().runAs().ifPresent(user -> command.addAll(user.prefix()));
        if (java) {
            if (!Files.isRegularFile(settings.watcherJar())) {
                throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot start function " + name
                        + ": the Java watcher " + settings.watcherJar() + " does not exist; build it with"
                        + " ./mvnw install or set dcf.gateway.local.watcher-jar");
            }
            command.add(settings.java());
            command.addAll(settings.jvmOptions());
            command.add("-jar");
            command.add(settings.watcherJar().toString());
        } else {
            command.add(python);
            command.add(settings.runtimesDir().resolve("python/watcher/dcf_watcher.py").toString());
        }
        return command;
    }

    private static String joined(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
