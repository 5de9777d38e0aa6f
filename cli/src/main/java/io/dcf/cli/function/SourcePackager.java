package io.dcf.cli.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips a handler directory for {@code Artifact.source_zip}; build output and VCS files stay out. */
final class SourcePackager {

    /** Directory names never packaged, at any depth. */
    static final Set<String> EXCLUDED_DIRS = Set.of("target", ".git", "__pycache__", ".venv", ".idea");

    private SourcePackager() {
    }

    /** A zip and the files it holds, relative, with {@code /} separators, sorted. */
    record Package(byte[] zip, List<String> files) {
    }

    static Package zip(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !excluded(dir.relativize(p)))
                    .sorted()
                    .toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> names;
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            names = files.stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
            for (int i = 0; i < files.size(); i++) {
                ZipEntry entry = new ZipEntry(names.get(i));
                entry.setTime(0L);
                zip.putNextEntry(entry);
                Files.copy(files.get(i), zip);
                zip.closeEntry();
            }
        }
        return new Package(bytes.toByteArray(), names);
    }

    private static boolean excluded(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (EXCLUDED_DIRS.contains(relative.getName(i).toString())) {
                return true;
            }
        }
        String name = relative.getFileName().toString();
        return name.endsWith(".pyc") || name.equals(".DS_Store");
    }
}
