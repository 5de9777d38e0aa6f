package io.dcf.build.kaniko;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a build context as a tar.gz, streamed from the files to the archive file: the
 * function's directory at the root, then extra trees under their own names (a template's
 * Dockerfile, dcf-watcher/, sdk/) where the function's directory has nothing of that name.
 * Entries are sorted, owned by 0:0 and dated 1970-01-01T00:00:01Z (same files, same archive);
 * files keep their executable bit; symbolic links are kept as links; {@code __pycache__}
 * directories and {@code .pyc} files are left out.
 */
final class ContextArchive {

    private static final FileTime EPOCH = FileTime.fromMillis(1000);
    private final List<Extra> extras = new ArrayList<>();
    private final Path root;

    private record Extra(String name, Path source) {
    }

    private ContextArchive(Path root) {
        this.root = root;
    }

    /** An archive of {@code root}'s tree. */
    static ContextArchive of(Path root) {
        return new ContextArchive(root);
    }

    /** Adds {@code source} (a file or a directory tree) as {@code name}, unless {@code root} has {@code name}. */
    ContextArchive with(String name, Path source) {
        if (!Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            extras.add(new Extra(name, source));
        }
        return this;
    }

    /** Writes the archive to {@code target}; returns its size in bytes. */
    long writeTo(Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 64 * 1024);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path path : sorted(root)) {
                add(tar, path, root.relativize(path).toString().replace('\\', '/'));
            }
            for (Extra extra : extras) {
                for (Path path : sorted(extra.source())) {
                    String relative = extra.source().relativize(path).toString().replace('\\', '/');
                    add(tar, path, relative.isEmpty() ? extra.name() : extra.name() + "/" + relative);
                }
            }
            tar.finish();
        }
        return Files.size(target);
    }

    private static Set<Path> sorted(Path tree) throws IOException {
        Set<Path> paths = new TreeSet<>();
        if (Files.isRegularFile(tree, LinkOption.NOFOLLOW_LINKS)) {
            paths.add(tree);
            return paths;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.filter(p -> !p.equals(tree) && !skipped(tree.relativize(p))).forEach(paths::add);
        }
        return paths;
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("__pycache__")) {
                return true;
            }
        }
        return relative.toString().endsWith(".pyc");
    }

    private static void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path)) {
            entry = new TarArchiveEntry(name + "/");
            entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        } else if (Files.isRegularFile(path)) {
            entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(path));
            entry.setMode(executable(path) ? 0100755 : 0100644);
        } else {
            return; // devices, sockets: never part of a context (the bundle check refuses them)
        }
        entry.setLastModifiedTime(EPOCH);
        entry.setIds(0, 0);
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    private static boolean executable(Path path) {
        try {
            return Files.isExecutable(path) && path.getFileSystem().equals(FileSystems.getDefault());
        } catch (SecurityException e) {
            return false;
        }
    }
}
