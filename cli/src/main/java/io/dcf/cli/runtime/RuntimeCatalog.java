package io.dcf.cli.runtime;

import io.dcf.cli.CliException;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtimes of {@code dcf runtime list} and {@code dcf function init}: list.yml and
 * {@code <dir>/template/}, read from {@code $DCF_RUNTIMES_DIR} when set, else from the
 * {@code dcf-runtimes/} resources of the {@code io.dcf:runtimes} jar (or directory) on
 * the class path.
 */
public final class RuntimeCatalog {

    static final String RESOURCE = "dcf-runtimes/list.yml";

    private final List<RuntimeInfo> runtimes;

    private RuntimeCatalog(List<RuntimeInfo> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    /** Loads the catalog for this environment. */
    public static RuntimeCatalog load(Map<String, String> env) {
        String dir = env.get("DCF_RUNTIMES_DIR");
        if (dir != null && !dir.isBlank()) {
            return fromDirectory(Path.of(dir));
        }
        URL url = RuntimeCatalog.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw CliException.usage("the runtime templates are missing (no " + RESOURCE
                    + " on the class path); rebuild with ./mvnw install or set DCF_RUNTIMES_DIR");
        }
        return fromDirectory(directoryOf(url));
    }

    /** Reads {@code root/list.yml} and the templates under {@code root}. */
    public static RuntimeCatalog fromDirectory(Path root) {
        Path list = root.resolve("list.yml");
        if (!Files.isRegularFile(list)) {
            throw CliException.usage("no runtime list at " + list);
        }
        try (Reader reader = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            Object doc = new Yaml().load(reader);
            Object entries = doc instanceof Map<?, ?> m ? m.get("runtimes") : null;
            if (!(entries instanceof Map<?, ?> map)) {
                throw CliException.usage(list + ": expected a 'runtimes' map");
            }
            List<RuntimeInfo> runtimes = new ArrayList<>();
            map.forEach((name, value) -> runtimes.add(entry(root, String.valueOf(name), value)));
            return new RuntimeCatalog(runtimes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CliException ce) {
                throw ce;
            }
            throw CliException.usage("cannot read " + list + ": " + e.getMessage());
        }
    }

    private static RuntimeInfo entry(Path root, String name, Object value) {
        Map<?, ?> m = value instanceof Map<?, ?> map ? map : Map.of();
        String dir = m.get("dir") == null ? name : String.valueOf(m.get("dir"));
        Map<?, ?> handler = m.get("handler") instanceof Map<?, ?> h ? h : Map.of();
        List<String> buildArgs = new ArrayList<>();
        if (m.get("build_args") instanceof List<?> args) {
            args.forEach(a -> buildArgs.add(String.valueOf(a)));
        }
        return new RuntimeInfo(name, root.resolve(dir).resolve("template"), buildArgs,
                handler.get("file") == null ? "" : String.valueOf(handler.get("file")),
                handler.get("name") == null ? "Handler" : String.valueOf(handler.get("name")));
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
                return fs.getPath("/" + RESOURCE).getParent();
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw CliException.usage("cannot open the runtime templates at " + url + ": " + e.getMessage());
        }
    }

    /** The runtimes in list.yml order. */
    public List<RuntimeInfo> runtimes() {
        return runtimes;
    }

    public List<String> names() {
        return runtimes.stream().map(RuntimeInfo::name).toList();
    }

    public Optional<RuntimeInfo> find(String name) {
        return runtimes.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
