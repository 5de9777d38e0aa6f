package io.dcf.cli.function;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packages a handler directory: a zip for {@code Artifact.source_zip}, or a tar.gz bundle for
 * build-service ({@code dcf.v1.Builder/Build}). Both hold the same files: build output and VCS
 * files stay out, entries are sorted and dated 0 (the same directory makes the same bytes).
 */
final class SourcePackager {

    /** Directory names never packaged, at any depth. */
    static final Set<String> EXCLUDED_DIRS = Set.of("target", ".git", "__pycache__", ".venv", ".idea");

    private SourcePackager() {
    }

    /** A zip and the files it holds, relative, with {@code /} separators, sorted. */
    record Package(byte[] zip, List<String> files) {
    }

    static Package zip(Path dir) throws IOException {
        List<Path> files = files(dir);
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

    /**
     * Writes the same files as {@link #zip} as a tar.gz to {@code out} (POSIX tar: long names
     * kept; mode 0644, or 0755 for executables) and returns their names.
     */
    static List<String> tarGz(Path dir, Path out) throws IOException {
        List<Path> files = files(dir);
        List<String> names = files.stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
        try (OutputStream file = Files.newOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file, 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (int i = 0; i < files.size(); i++) {
                TarArchiveEntry entry = new TarArchiveEntry(names.get(i));
                entry.setSize(Files.size(files.get(i)));
                entry.setModTime(0L);
                entry.setUserName(""); // no local user name in the bundle
                entry.setGroupName("");
                entry.setIds(0, 0);
                entry.setMode(Files.isExecutable(files.get(i)) ? 0100755 : 0100644);
                tar.putArchiveEntry(entry);
                Files.copy(files.get(i), tar);
                tar.closeArchiveEntry();
            }
        }
        return names;
    }

    /** The regular files packaged, sorted. */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !excluded(dir.relativize(p)))
                    .sorted()
                    .toList();
        }
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
