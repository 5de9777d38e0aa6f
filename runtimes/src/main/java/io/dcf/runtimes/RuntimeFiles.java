package io.dcf.runtimes;

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
 * The {@code dcf-runtimes/} directory of the runtimes jar (or of its classes directory) as a
 * {@link Path}: list.yml, each runtime's {@code template/}, {@code python/watcher/} and
 * {@code go/sdk/}. The CLI copies templates from it; build-service puts a template's
 * Dockerfile and the watcher into Kaniko build contexts.
 */
public final class RuntimeFiles {

    private RuntimeFiles() {
    }

    /**
     * The directory holding {@link RuntimeCatalog#RESOURCE} on the class path (inside a jar: a
     * path of the jar's file system, read only).
     *
     * @throws RuntimeCatalogException when the runtimes jar is not on the class path or cannot be opened
     */
    public static Path classPathRoot() {
        URL url = RuntimeFiles.class.getClassLoader().getResource(RuntimeCatalog.RESOURCE);
        if (url == null) {
            throw new RuntimeCatalogException("the runtime templates are missing (no " + RuntimeCatalog.RESOURCE
                    + " on the class path); rebuild with ./mvnw install");
        }
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
            throw new RuntimeCatalogException("cannot open the runtime templates at " + url + ": " + e.getMessage(), e);
        }
    }
}
