package io.dcf.build.bundle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks an uploaded bundle (tar.gz or zip) into an empty directory, refusing anything that
 * could write or point outside it: {@code ..} entries, absolute paths, symbolic or hard links
 * leaving the tree (also through another link), paths through a link, device files and FIFOs,
 * and more entries, bytes or nesting than the limits. Each refusal names the entry. Nothing is
 * written through a symbolic link: files are created new with {@code NOFOLLOW_LINKS} under
 * directories whose real path is checked. Hard links inside the tree become copies.
 */
public final class BundleExtractor {

    private static final int BUFFER = 64 * 1024;

    private final BundleLimits limits;

    public BundleExtractor(BundleLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** What was unpacked. */
    public record Extracted(int entries, long bytes) {
    }

    /**
     * Unpacks {@code bundle} into {@code target} (created; must not exist or be empty).
     *
     * @throws BundleException for a hostile, malformed or too large bundle; {@code target} may hold
     *     part of it (the caller deletes it), nothing outside it is written
     */
    public Extracted extract(String function, Path bundle, BundleFormat format, Path target) {
        requireNonNull(function, "function");
        try {
            Files.createDirectories(target);
            Path root = target.toRealPath();
            Run run = new Run(function, root);
            try (BundleReader reader = BundleReader.open(bundle, format)) {
                BundleEntry entry;
                while ((entry = reader.next()) != null) {
                    run.unpack(entry, reader);
                }
            } catch (IOException e) {
                if (e instanceof java.nio.file.FileSystemException) {
                    throw e;
                }
                throw BundleException.malformed(function, "not a readable " + format.key() + " archive ("
                        + e.getMessage() + ")");
            }
            run.checkLinks();
            return new Extracted(run.entries, run.bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("function " + function + ": cannot unpack the bundle into " + target, e);
        }
    }

    private final class Run {
        private final String function;
        private final Path root;
        private final Set<Path> links = new HashSet<>();
        private final List<Path> linkOrder = new ArrayList<>();
        private int entries;
        private long bytes;

        Run(String function, Path root) {
            this.function = function;
            this.root = root;
        }

        void unpack(BundleEntry entry, BundleReader reader) throws IOException {
            String name = entry.name();
            Path path = resolve(name);
            if (path == null) {
                return; // the root itself ("./")
            }
            if (++entries > limits.maxEntries()) {
                throw BundleException.limit(function, name, "more than " + limits.maxEntries() + " entries");
            }
            switch (entry.kind()) {
                case DIRECTORY -> directory(name, path);
                case FILE -> {
                    try (InputStream in = reader.content()) {
                        write(name, path, in, entry.executable());
                    }
                }
                case SYMLINK -> symlink(name, path, entry.linkTarget());
                case HARDLINK -> hardLink(name, path, entry.linkTarget());
                case DEVICE -> throw BundleException.entry(function, name, "device files are not allowed");
                case FIFO -> throw BundleException.entry(function, name, "FIFOs (named pipes) are not allowed");
                default -> throw BundleException.entry(function, name, "unsupported entry type");
            }
        }

        /** The entry's path under the root, checked by name only; null for the root. */
        private Path resolve(String name) {
            if (name.indexOf('\0') >= 0) {
                throw BundleException.entry(function, name.replace('\0', '?'), "NUL in the name");
            }
            if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
                throw BundleException.entry(function, name, "absolute paths are not allowed");
            }
            List<String> parts = new ArrayList<>();
            for (String part : name.split("/")) {
                if (part.equals("..")) {
                    throw BundleException.entry(function, name, "'..' leaves the function's directory");
                }
                if (!part.isEmpty() && !part.equals(".")) {
                    parts.add(part);
                }
            }
            if (parts.isEmpty()) {
                return null;
            }
            if (parts.size() > limits.maxDepth()) {
                throw BundleException.limit(function, name, "nested deeper than " + limits.maxDepth() + " levels");
            }
            Path path = root.resolve(String.join("/", parts)).normalize();
            if (!path.startsWith(root) || path.equals(root)) {
                throw BundleException.entry(function, name, "leaves the function's directory");
            }
            for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
                if (links.contains(p)) {
                    throw BundleException.entry(function, name, "goes through the symbolic link '"
                            + root.relativize(p) + "'");
                }
            }
            return path;
        }

        private void directory(String name, Path path) throws IOException {
            if (Files.isSymbolicLink(path) || Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path,
                    LinkOption.NOFOLLOW_LINKS)) {
                throw BundleException.entry(function, name, "is both a directory and another entry");
            }
            Files.createDirectories(path);
            checkReal(name, path);
        }

        private Path parentOf(String name, Path path) throws IOException {
            Path parent = path.getParent();
            Files.createDirectories(parent);
            checkReal(name, parent);
            return parent;
        }

        private void checkReal(String name, Path dir) throws IOException {
            if (!dir.toRealPath().startsWith(root)) {
                throw BundleException.entry(function, name, "leaves the function's directory");
            }
        }

        private void write(String name, Path path, InputStream in, boolean executable) throws IOException {
            parentOf(name, path);
            try (OutputStream out = create(name, path)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    bytes += n;
                    if (bytes > limits.maxBytes()) {
                        throw BundleException.limit(function, name, "the bundle expands to more than "
                                + limits.maxBytes() + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }

        private OutputStream create(String name, Path path) throws IOException {
            try {
                return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw BundleException.entry(function, name, "appears twice in the bundle");
            }
        }

        private void symlink(String name, Path path, String target) throws IOException {
            if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
                throw BundleException.entry(function, name, "symbolic link to '" + target
                        + "' leaves the function's directory");
            }
            Path resolved = path.getParent().resolve(target).normalize();
            if (!resolved.startsWith(root)) {
                throw BundleException.entry(function, name, "symbolic link to '" + target
                        + "' leaves the function's directory");
            }
            parentOf(name, path);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw BundleException.entry(function, name, "appears twice in the bundle");
            }
            Files.createSymbolicLink(path, Path.of(target));
            links.add(path);
            linkOrder.add(path);
        }

        private void hardLink(String name, Path path, String target) throws IOException {
            Path source;
            try {
                source = resolve(target);
            } catch (BundleException e) {
                throw BundleException.entry(function, name, "hard link to '" + target
                        + "' leaves the function's directory");
            }
            if (source == null || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw BundleException.entry(function, name, "hard link to '" + target
                        + "', which is not a file unpacked before it");
            }
            try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
                write(name, path, in, Files.isExecutable(source));
            }
        }

        /** Every symbolic link, followed through any chain, must end inside the root. */
        void checkLinks() throws IOException {
            for (Path link : linkOrder) {
                String name = root.relativize(link).toString();
                Path real;
                try {
                    real = link.toRealPath();
                } catch (IOException e) {
                    throw BundleException.entry(function, name, "symbolic link to '" + Files.readSymbolicLink(link)
                            + "', which is not in the bundle");
                }
                if (!real.startsWith(root)) {
                    throw BundleException.entry(function, name, "symbolic link to '" + Files.readSymbolicLink(link)
                            + "' leaves the function's directory");
                }
            }
        }
    }
}
