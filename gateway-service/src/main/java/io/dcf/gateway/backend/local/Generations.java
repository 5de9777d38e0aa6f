package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.gateway.files.Files2;
import io.dcf.gateway.version.FunctionVersions;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The local backend's versions: generation N's code lies in {@code gen-N/} and version N of the
 * history ({@code versions.json}) says what made it. A new generation that keeps the code
 * (a settings update, a model, a rollback) is laid out by hard links ({@link GenerationCopy});
 * the newest {@code kept} generations stay on disk, so those versions can be rolled back to.
 */
final class Generations {

    private final FunctionStore store;
    private final int kept;

    Generations(FunctionStore store, int kept) {
        this.store = requireNonNull(store, "store");
        if (kept < 1) {
            throw new IllegalArgumentException("kept: " + kept + " (expected: >= 1)");
        }
        this.kept = kept;
    }

    /** The version that produced {@code generation} (model fields included), or none when the history lacks it. */
    FunctionVersion version(String name, long generation) {
        return store.versions(name).list().stream().filter(v -> v.getVersion() == generation).findFirst()
                .orElse(FunctionVersion.getDefaultInstance());
    }

    /** A function's versions, newest first, each saying whether its code is still kept. */
    List<FunctionVersion> list(String name) {
        return store.versions(name).withAvailability(v -> Files.isDirectory(store.generationDir(name, v))).list();
    }

    /** The version {@code to} (0: the one before the current) as a rollback target, checked. */
    FunctionVersion rollbackTarget(String name, long to) {
        return store.versions(name).withAvailability(v -> Files.isDirectory(store.generationDir(name, v)))
                .rollbackTarget(to);
    }

    /**
     * Lays out generation {@code to} as a copy of {@code from} (read-only), its model at
     * {@code modelPath} (a path under the function's directory, "" for none).
     */
    InstalledArtifact copy(FunctionSpec spec, long from, long to, String modelPath) {
        Path target = fresh(spec.getName(), to);
        GenerationCopy.link(store.generationDir(spec.getName(), from), target);
        Files2.makeReadOnly(target);
        return InstalledArtifact.of(spec, target).withModel(relative(modelPath));
    }

    /**
     * Lays out generation {@code to} as {@code from}'s code plus {@code model}, moved into place.
     * The model may replace the previous model at the same path, never a file of the code.
     */
    InstalledArtifact withModel(FunctionSpec spec, long from, long to, String previousModel, ModelFile model) {
        String name = spec.getName();
        Path target = fresh(name, to);
        GenerationCopy.link(store.generationDir(name, from), target);
        try {
            Path file = InstalledArtifact.of(spec, target).functionDir().resolve(model.relativePath()).normalize();
            if (!file.startsWith(target)) {
                throw new InvalidFunctionSpecException("function " + name + ": path: '" + model.path()
                        + "' leaves the function's directory");
            }
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !model.path().equals(previousModel)) {
                throw new InvalidFunctionSpecException("function " + name + ": path: '" + model.path()
                        + "' is a file of the function's own code; choose another path (e.g. /models/"
                        + file.getFileName() + ")");
            }
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.move(model.file(), file, StandardCopyOption.ATOMIC_MOVE);
            // spooled as 0600: replicas may run as another user (run-as), and read what the code may read
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            Files2.makeReadOnly(target);
        } catch (IOException | RuntimeException e) {
            Files2.deleteTree(target);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot add the model of function " + name + " to " + target, io);
            }
            throw (RuntimeException) e;
        }
        return InstalledArtifact.of(spec, target).withModel(model.relativePath());
    }

    /** Removes generation {@code generation}'s code (a roll that failed). */
    void discard(String name, long generation) {
        Files2.deleteTree(store.generationDir(name, generation));
    }

    /** Records {@code version} as the current one beside {@code record}, then drops generations no longer kept. */
    void commit(FunctionStatus record, FunctionVersion version) {
        String name = record.getSpec().getName();
        store.saveVersions(name, store.versions(name).record(version, FunctionVersions.DEFAULT_LIMIT));
        store.save(record);
        store.pruneGenerations(name, record.getGeneration(), kept);
    }

    /** A version entry for {@code record}, made by {@code cause}. */
    static FunctionVersion.Builder entry(FunctionStatus record, String cause, Timestamp created) {
        return FunctionVersions.entry(record.getGeneration(), cause, record.getSpec(), created);
    }

    /** {@code /models/m.bin} as {@code models/m.bin}; "" stays "". */
    static String relative(String modelPath) {
        return modelPath.startsWith("/") ? modelPath.substring(1) : modelPath;
    }

    private Path fresh(String name, long generation) {
        Path dir = store.generationDir(name, generation);
        Files2.deleteTree(dir); // leftovers of an interrupted update
        return dir;
    }
}
