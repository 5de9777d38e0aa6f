package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.dcf.common.AtomicFiles;
import io.dcf.gateway.files.Files2;
import io.dcf.gateway.version.FunctionVersions;
import io.dcf.proto.v1.FunctionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists functions under {@code DCF_HOME/functions/<name>/}: {@code function.json}
 * (spec, replicas, generation; written atomically, last), {@code versions.json} (the
 * version history, newest first, bounded; written atomically), one {@code gen-<N>/}
 * directory per generation still kept (version N's code), and {@code logs/}. A directory without
 * {@code function.json} is an interrupted deploy and is removed on load.
 */
final class FunctionStore {

    private static final Logger log = LoggerFactory.getLogger(FunctionStore.class);
    private static final String RECORD = "function.json";
    private static final String VERSIONS = "versions.json";

    private final Path root;

    FunctionStore(Path home) {
        this.root = requireNonNull(home, "home").resolve("functions");
    }

    Path functionDir(String name) {
        return root.resolve(name);
    }

    Path generationDir(String name, long generation) {
        return functionDir(name).resolve("gen-" + generation);
    }

    Path logDir(String name) {
        return functionDir(name).resolve("logs");
    }

    Path runDir(String name) {
        return functionDir(name).resolve("run");
    }

    /** Every stored function record; removes leftovers of interrupted deploys. */
    List<FunctionStatus> loadAll() {
        List<FunctionStatus> all = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path record = dir.resolve(RECORD);
                if (!Files.isRegularFile(record)) {
                    log.warn("Removing {}: no {} (an interrupted deploy)", dir, RECORD);
                    Files2.deleteTree(dir);
                    continue;
                }
                try {
                    FunctionStatus.Builder status = FunctionStatus.newBuilder();
                    JsonFormat.parser().ignoringUnknownFields()
                              .merge(Files.readString(record, StandardCharsets.UTF_8), status);
                    all.add(status.build());
                } catch (InvalidProtocolBufferException e) {
                    log.error("Skipping function in {}: {} is unreadable: {}", dir, RECORD, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
        return all;
    }

    /** Writes a function's record atomically. */
    void save(FunctionStatus status) {
        Path dir = functionDir(status.getSpec().getName());
        try {
            AtomicFiles.writeString(dir.resolve(RECORD), JsonFormat.printer().print(status));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(RECORD), e);
        }
    }

    /** Removes a function's record first (so a crash midway cannot resurrect it), then its files. */
    void delete(String name) {
        Path dir = functionDir(name);
        try {
            Files.deleteIfExists(dir.resolve(RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.resolve(RECORD), e);
        }
        Files2.deleteTree(dir);
    }

    /** A function's version history; empty when none was written or it is unreadable (logged). */
    FunctionVersions versions(String name) {
        Path file = functionDir(name).resolve(VERSIONS);
        if (!Files.isRegularFile(file)) {
            return FunctionVersions.empty(name);
        }
        try {
            return FunctionVersions.fromJson(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error("Version history of function={} in {} is unreadable ({}): starting a new one", name, file,
                    e.getMessage());
            return FunctionVersions.empty(name);
        }
    }

    /** Writes a function's version history atomically. */
    void saveVersions(String name, FunctionVersions versions) {
        Path file = functionDir(name).resolve(VERSIONS);
        try {
            AtomicFiles.writeString(file, versions.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Removes the generation directories of a function older than the newest {@code kept}
     * ({@code current} and the {@code kept - 1} before it stay: what a rollback can go to).
     */
    void pruneGenerations(String name, long current, int kept) {
        try (Stream<Path> dirs = Files.list(functionDir(name))) {
            dirs.filter(d -> generationOf(d) > 0 && generationOf(d) <= current - kept)
                .forEach(Files2::deleteTree);
        } catch (IOException e) {
            log.warn("Cannot prune old generations of function={}: {}", name, e.getMessage());
        }
    }

    private static long generationOf(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith("gen-")) {
            return 0;
        }
        try {
            return Long.parseLong(name.substring(4));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
