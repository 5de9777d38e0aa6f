package io.dcf.build.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Test bundles: a directory as tar.gz or zip, or a tar.gz of hand-made (hostile) entries. */
public final class Bundles {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    private Bundles() throws IOException {
        tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** A tar.gz built entry by entry. */
    public static Bundles tarGz() {
        try {
            return new Bundles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Bundles file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public Bundles file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setMode(0100000 | mode);
        return put(e, content);
    }

    public Bundles dir(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        return put(e, null);
    }

    public Bundles symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        return put(e, null);
    }

    public Bundles hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return put(e, null);
    }

    public Bundles special(String name, byte type) {
        return put(new TarArchiveEntry(name, type, true), null);
    }

    private Bundles put(TarArchiveEntry entry, byte[] content) {
        try {
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public Path writeTo(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    /** {@code dir}'s regular files as a tar.gz (paths relative to it, sorted). */
    public static byte[] tarGzOf(Path dir) throws IOException {
        Bundles b = tarGz();
        for (Path f : files(dir)) {
            b.file(dir.relativize(f).toString(), Files.readAllBytes(f), Files.isExecutable(f) ? 0755 : 0644);
        }
        return b.bytes();
    }

    /** {@code dir}'s regular files as a zip. */
    public static byte[] zipOf(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Path f : files(dir)) {
                zip.putArchiveEntry(new ZipArchiveEntry(dir.relativize(f).toString()));
                zip.write(Files.readAllBytes(f));
                zip.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** A zip with one entry written as given (e.g. {@code ../x}). */
    public static byte[] zipWith(String name, String content, boolean symlink) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            if (symlink) {
                e.setUnixMode(0120777);
            }
            zip.putArchiveEntry(e);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
