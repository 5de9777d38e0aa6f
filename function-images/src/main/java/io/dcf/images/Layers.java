package io.dcf.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Layers of function code: owned by root and read-only for everyone else (files 0644, or
 * 0755 when executable; directories 0755), so a function running as user 10001 cannot
 * change its own code; every time stamp is 1970-01-01T00:00:01Z and entries are sorted,
 * so the same files always make the same layer digest.
 */
final class Layers {

    static final Instant FILE_TIME = Instant.ofEpochSecond(1);
    private static final String OWNERSHIP = "0:0";
    private static final FilePermissions DIRECTORY = FilePermissions.fromOctalString("755");
    private static final FilePermissions FILE = FilePermissions.fromOctalString("644");
    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");

    private Layers() {
    }

    /** One layer named {@code name} with each of {@code files} at {@code directory/<file name>}. */
    static FileEntriesLayer files(String name, List<Path> files, AbsoluteUnixPath directory) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path file : files) {
            layer.addEntry(file, directory.resolve(file.getFileName().toString()), permissions(file), FILE_TIME,
                    OWNERSHIP);
        }
        return layer.build();
    }

    /**
     * One layer named {@code name} with the tree under {@code source} at {@code target}, without
     * the paths {@code skip} accepts (relative to {@code source}; a skipped directory's
     * entries are offered too). Symbolic links are followed: their targets are copied.
     */
    static FileEntriesLayer tree(String name, Path source, AbsoluteUnixPath target, Predicate<Path> skip) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> walk = Files.walk(source, FileVisitOption.FOLLOW_LINKS)) {
            walk.sorted().forEach(path -> {
                Path relative = source.relativize(path);
                if (relative.toString().isEmpty() || skip.test(relative)) {
                    return;
                }
                layer.addEntry(path, target.resolve(relative), permissions(path), FILE_TIME, OWNERSHIP);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return layer.build();
    }

    private static FilePermissions permissions(Path path) {
        if (Files.isDirectory(path)) {
            return DIRECTORY;
        }
        return Files.isExecutable(path) ? EXECUTABLE : FILE;
    }
}
