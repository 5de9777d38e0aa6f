package io.dcf.gateway.build.local;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Copies an {@code artifact.local_path} (a directory or a .jar) under the same limits
 * as an uploaded archive: total bytes from the shared budget, entry count, depth.
 * Never opens anything of DCF_HOME (opening and closing the home's {@code .lock} would
 * drop the gateway's POSIX lock on it): the path may not be, contain or lie inside
 * DCF_HOME, a hard link to the lock file is refused, symbolic links are copied as links
 * only when they stay inside the tree, and devices, pipes and sockets are refused.
 */
final class LocalPathCopier {

    /** Directory names never copied from a user's source directory. */
    static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "__pycache__", ".venv", "node_modules");

    private final Path home;
    private final CodeLimits limits;

    LocalPathCopier(Path home, CodeLimits limits) {
        this.home = Objects.requireNonNull(home, "home");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Copies a directory's tree into {@code to}. */
    void copyDirectory(String function, Path from, Path to, ExpansionBudget.Reservation budget) throws IOException {
        Path real = checkOutsideHome(function, from);
        Object lockKey = lockFileKey();
        budget.describing("artifact.local_path '" + from + "'");
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            private int entries;

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(real) && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path rel = real.relativize(dir);
                if (!dir.equals(real)) {
                    count(rel);
                }
                Files.createDirectories(to.resolve(rel.toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = real.relativize(file);
                count(rel);
                Path out = to.resolve(rel.toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(out, insideLink(function, real, file));
                } else if (attrs.isRegularFile()) {
                    checkNotLock(function, file, attrs, lockKey);
                    copyFile(file, out, budget);
                } else {
                    throw invalid(function, file, "is not a regular file, directory or symbolic link (a device,"
                            + " pipe or socket)");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                throw invalid(function, file, "cannot be read (" + e.getClass().getSimpleName() + ")");
            }

            private void count(Path rel) {
                if (++entries > limits.maxEntries()) {
                    throw invalid(function, from, "holds more than " + limits.maxEntries() + " files and directories");
                }
                if (rel.getNameCount() > limits.maxDepth()) {
                    throw invalid(function, from.resolve(rel), "is nested more than " + limits.maxDepth()
                            + " directories deep");
                }
            }
        });
    }

    /** Copies one .jar file to {@code to}. */
    void copyJar(String function, Path from, Path to, ExpansionBudget.Reservation budget) throws IOException {
        Path real = checkOutsideHome(function, from);
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw invalid(function, from, "is not a regular file");
        }
        checkNotLock(function, from, attrs, lockFileKey());
        budget.describing("artifact.local_path '" + from + "'");
        copyFile(real, to, budget);
    }

    /** The real path of {@code from}; refuses DCF_HOME itself, anything inside it, and anything containing it. */
    private Path checkOutsideHome(String function, Path from) throws IOException {
        Path real = from.toRealPath();
        Path realHome = home.toRealPath();
        if (real.startsWith(realHome)) {
            throw invalid(function, from, (real.equals(realHome) ? "is" : "is inside") + " DCF_HOME " + realHome
                    + " (the gateway's own files); point it at your function's directory");
        }
        if (realHome.startsWith(real)) {
            throw invalid(function, from, "contains DCF_HOME " + realHome
                    + " (the gateway's own files); point it at your function's directory");
        }
        return real;
    }

    /** The lock file's identity (device and inode), read without opening it; null when there is none. */
    private Object lockFileKey() {
        try {
            return Files.readAttributes(home.resolve(".lock"), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void checkNotLock(String function, Path file, BasicFileAttributes attrs, Object lockKey) {
        if (lockKey != null && lockKey.equals(attrs.fileKey())) {
            throw invalid(function, file, "is a hard link to DCF_HOME's lock file");
        }
    }

    /** The target of a link that stays inside {@code root}, as written (relative); refuses any other. */
    private static Path insideLink(String function, Path root, Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        if (target.isAbsolute() || !link.getParent().resolve(target).normalize().startsWith(root)) {
            throw invalid(function, link, "is a symbolic link to '" + target + "' outside the function's directory"
                    + " (only relative links that stay inside are copied)");
        }
        Path resolved;
        try {
            resolved = link.toRealPath();
        } catch (IOException e) {
            throw invalid(function, link, "is a symbolic link to '" + target + "', which does not exist");
        }
        if (!resolved.startsWith(root)) {
            throw invalid(function, link, "is a symbolic link that leads outside the function's directory (through"
                    + " another link)");
        }
        return target;
    }

    private static void copyFile(Path from, Path to, ExpansionBudget.Reservation budget) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                budget.add(n);
                out.write(buffer, 0, n);
            }
        }
    }

    private static InvalidFunctionSpecException invalid(String function, Path path, String what) {
        return new InvalidFunctionSpecException("function " + function + ": artifact.local_path: '" + path + "' "
                + what);
    }
}
