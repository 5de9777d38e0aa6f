package io.dcf.gateway.backend.local;

import com.google.protobuf.util.Durations;
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
        Map<String, String> env = new LinkedHashMap<>(settings.isolation().inherited());
        env.put("HOME", workDir.toString());
        env.put("TMPDIR", workDir.toString());
        env.putAll(spec.getEnvironmentMap());
        long timeoutMs = spec.hasTimeout() ? Durations.toMillis(spec.getTimeout()) : settings.defaultTimeout().toMillis();
        env.put("DCF_FUNCTION_NAME", spec.getName());
        env.put("DCF_HANDLER", spec.getHandler().getName());
        env.put("DCF_FUNCTION_DIR", code.functionDir().toString());
        env.put("DCF_WATCHER_HOST", "127.0.0.1");
        env.put("DCF_WATCHER_PORT", "0");
        env.put("DCF_WATCHER_PORT_FILE", portFile.toString());
        env.put("DCF_TIMEOUT_MS", Long.toString(timeoutMs));
        env.put("DCF_MAX_CONCURRENCY", Integer.toString(settings.maxConcurrency()));
        env.put("DCF_DRAIN_TIMEOUT_MS", Long.toString(settings.drainTimeout().toMillis()));
        env.put("DCF_MAX_MESSAGE_BYTES", Integer.toString(settings.maxMessageBytes()));
        env.put("DCF_EXIT_WITH_PARENT", "true");
        env.put("DCF_REPLICA_SECRET_STDIN", Boolean.toString(settings.isolation().secrets()));
        List<String> command = new ArrayList<>();
        command.addAll(settings.isolation().namespacePrefix(functionDir, workDir));
        settings.isolation().runAs().ifPresent(user -> command.addAll(user.prefix()));
        if (ArtifactInstaller.isJava(spec)) {
            if (!Files.isRegularFile(settings.watcherJar())) {
                throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot start function " + spec.getName()
                        + ": the Java watcher " + settings.watcherJar() + " does not exist; build it with"
                        + " ./mvnw install or set dcf.gateway.local.watcher-jar");
            }
            env.put("DCF_HANDLER_PATH", joined(code.classpath()));
            command.add(settings.java());
            command.addAll(settings.jvmOptions());
            command.add("-jar");
            command.add(settings.watcherJar().toString());
        } else {
            String file = spec.getHandler().getFile();
            env.put("DCF_HANDLER_PATH", code.functionDir().toString());
            env.put("DCF_HANDLER_FILE", file.isEmpty() ? "handler.py" : file);
            env.put("PYTHONUNBUFFERED", "1");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            command.add(code.python().map(Path::toString).orElseGet(settings.python()));
            command.add(settings.runtimesDir().resolve("python/watcher/dcf_watcher.py").toString());
        }
        return new ReplicaCommand(command, env, workDir);
    }

    private static String joined(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
