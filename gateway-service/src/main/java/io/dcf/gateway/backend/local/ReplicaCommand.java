package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.proto.v1.FunctionSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import io.dcf.gateway.error.DcfException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, the whole environment (nothing else of the gateway's is inherited)
 * and the working directory of one replica process. Pure: built from the spec, the
 * installed code and the settings, so it is unit-tested without processes.
 */
record ReplicaCommand(List<String> command, Map<String, String> environment, Path workDir) {

    ReplicaCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    static ReplicaCommand of(FunctionSpec spec, InstalledArtifact code, LocalSettings settings, Path portFile,
                             Path functionDir, Path workDir) {
        Map<String, String> base = new LinkedHashMap<>(settings.isolation().inherited());
        base.put("HOME", workDir.toString());
        base.put("TMPDIR", workDir.toString());
        boolean java = WatcherContract.javaWatcher(spec);
        WatcherContract contract = WatcherContract.of(spec, settings.defaultTimeout())
                .listen("127.0.0.1", 0)
                .portFile(portFile.toString())
                .maxConcurrency(settings.maxConcurrency())
                .drainTimeout(settings.drainTimeout())
                .maxMessageBytes(settings.maxMessageBytes())
                .exitWithParent(true)
                .secretOnStdin(settings.isolation().secrets())
                .code(java ? joined(code.classpath()) : code.functionDir().toString(), code.functionDir().toString(),
                        !java);
        code.model().ifPresent(model -> contract.modelPath(model.toString()));
        Map<String, String> env = contract.environment(base);
        List<String> command = new ArrayList<>();
        command.addAll(settings.isolation().namespacePrefix(functionDir, workDir));
        settings.isolation().runAs().ifPresent(user -> command.addAll(user.prefix()));
        if (java) {
            if (!Files.isRegularFile(settings.watcherJar())) {
                throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot start function " + spec.getName()
                        + ": the Java watcher " + settings.watcherJar() + " does not exist; build it with"
                        + " ./mvnw install or set dcf.gateway.local.watcher-jar");
            }
            command.add(settings.java());
            command.addAll(settings.jvmOptions());
            command.add("-jar");
            command.add(settings.watcherJar().toString());
        } else {
            command.add(code.python().map(Path::toString).orElseGet(settings.python()));
            command.add(settings.runtimesDir().resolve("python/watcher/dcf_watcher.py").toString());
        }
        return new ReplicaCommand(command, env, workDir);
    }

    private static String joined(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
