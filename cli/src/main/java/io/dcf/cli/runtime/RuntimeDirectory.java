package io.dcf.cli.runtime;

import io.dcf.cli.CliException;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeCatalogException;
import io.dcf.runtimes.RuntimeFiles;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where this CLI's runtimes are: {@code $DCF_RUNTIMES_DIR} when set, else the
 * {@code dcf-runtimes/} resources of the {@code io.dcf:runtimes} jar (or directory) on the
 * class path. Its list.yml is the {@link RuntimeCatalog}; the templates lie beside it.
 */
public final class RuntimeDirectory {

    private final Path root;
    private final RuntimeCatalog catalog;

    private RuntimeDirectory(Path root, RuntimeCatalog catalog) {
        this.root = root;
        this.catalog = catalog;
    }

    /** The runtimes for this environment. */
    public static RuntimeDirectory load(Map<String, String> env) {
        String dir = env.get("DCF_RUNTIMES_DIR");
        if (dir != null && !dir.isBlank()) {
            return of(Path.of(dir));
        }
        try {
            return of(RuntimeFiles.classPathRoot());
        } catch (RuntimeCatalogException e) {
            throw CliException.usage(e.getMessage() + " or set DCF_RUNTIMES_DIR");
        }
    }

    /** Reads {@code root/list.yml}; the templates are under {@code root}. */
    public static RuntimeDirectory of(Path root) {
        try {
            return new RuntimeDirectory(root, RuntimeCatalog.read(root.resolve("list.yml")));
        } catch (RuntimeCatalogException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The runtimes of this directory's list.yml. */
    public RuntimeCatalog catalog() {
        return catalog;
    }

    /** The directory {@code dcf function init} copies for {@code runtime}. */
    public Path template(FunctionRuntime runtime) {
        return root.resolve(runtime.dir()).resolve("template");
    }
}
