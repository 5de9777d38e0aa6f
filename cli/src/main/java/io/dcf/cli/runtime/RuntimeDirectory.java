package io.dcf.cli.runtime;

import io.dcf.cli.CliException;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeCatalogException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
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
        URL url = RuntimeDirectory.class.getClassLoader().getResource(RuntimeCatalog.RESOURCE);
        if (url == null) {
            throw CliException.usage("the runtime templates are missing (no " + RuntimeCatalog.RESOURCE
                    + " on the class path); rebuild with ./mvnw install or set DCF_RUNTIMES_DIR");
        }
        return of(directoryOf(url));
    }

    /** Reads {@code root/list.yml}; the templates are under {@code root}. */
    public static RuntimeDirectory of(Path root) {
        try {
            return new RuntimeDirectory(root, RuntimeCatalog.read(root.resolve("list.yml")));
        } catch (RuntimeCatalogException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static Path directoryOf(URL url) {
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fs.getPath("/" + RuntimeCatalog.RESOURCE).getParent();
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw CliException.usage("cannot open the runtime templates at " + url + ": " + e.getMessage());
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
