package io.dcf.runtimes;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The runtimes of {@code runtimes/list.yml}, the one list the CLI, the gateway and the
 * image recipes read. The runtimes jar carries the file as {@link #RESOURCE};
 * {@link #standard()} reads it from there once.
 */
public final class RuntimeCatalog {

    /** Where list.yml is on the class path. */
    public static final String RESOURCE = "dcf-runtimes/list.yml";

    private static volatile RuntimeCatalog standard;

    private final List<FunctionRuntime> runtimes;

    private RuntimeCatalog(List<FunctionRuntime> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    /**
     * The catalog this build ships: {@link #RESOURCE} from the runtimes jar, read once.
     *
     * @throws RuntimeCatalogException naming list.yml and the field when it is missing or malformed
     */
    public static RuntimeCatalog standard() {
        RuntimeCatalog catalog = standard;
        if (catalog == null) {
            catalog = fromClassPath();
            standard = catalog;
        }
        return catalog;
    }

    /**
     * Reads a list.yml file (the CLI's {@code DCF_RUNTIMES_DIR}, tests).
     *
     * @throws RuntimeCatalogException naming the file (and the runtime and field) when it cannot be read
     */
    public static RuntimeCatalog read(Path file) {
        requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new RuntimeCatalogException("no runtime list at " + file, e);
        } catch (IOException e) {
            throw new RuntimeCatalogException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeCatalog fromClassPath() {
        try (InputStream in = RuntimeCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new RuntimeCatalogException("no " + RESOURCE + " on the class path (the io.dcf:runtimes"
                        + " jar is missing; rebuild with ./mvnw install)");
            }
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new RuntimeCatalogException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeCatalog parse(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes(RuntimeListParser.MAX_BYTES + 1);
        if (bytes.length > RuntimeListParser.MAX_BYTES) {
            throw new RuntimeCatalogException(source + ": larger than " + RuntimeListParser.MAX_BYTES / 1024
                    + " KiB (expected the few kilobytes of a runtime list)");
        }
        return new RuntimeCatalog(RuntimeListParser.parse(new String(bytes, StandardCharsets.UTF_8), source));
    }

    /** The runtimes, in list.yml order. */
    public List<FunctionRuntime> runtimes() {
        return runtimes;
    }

    /** The runtimes' names, in list.yml order. */
    public List<String> names() {
        return runtimes.stream().map(FunctionRuntime::name).toList();
    }

    /** The names as messages list them: {@code java, python, go, tensorflow, tensorflow-gpu}. */
    public String joinedNames() {
        return String.join(", ", names());
    }

    /** The runtime called {@code name}, if the catalog has it. */
    public Optional<FunctionRuntime> find(String name) {
        return runtimes.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
