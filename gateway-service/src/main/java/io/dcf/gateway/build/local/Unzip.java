package io.dcf.gateway.build.local;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Extracts a function's source archive. Refused, with a message naming the entry:
 * entries that escape the target or nest too deep, symbolic links, more entries than
 * allowed, truncated or damaged archives, and archives that expand past the shared
 * budget (a zip bomb must not fill DCF_HOME's disk, alone or with others).
 */
final class Unzip {

    private Unzip() {
    }

    static void extract(String function, byte[] zip, Path target, CodeLimits limits,
                        ExpansionBudget.Reservation budget) {
        for (ZipCentralDirectory.Entry entry : ZipCentralDirectory.read(function, zip, limits.maxEntries())) {
            if (entry.symlink()) {
                throw invalid(function, entry.name(), "is a symbolic link (an archive may hold only files and"
                        + " directories)");
            }
        }
        budget.describing("source archive");
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            Files.createDirectories(target);
            for (ZipEntry entry; (entry = next(function, in)) != null; ) {
                if (++entries > limits.maxEntries()) {
                    throw new InvalidFunctionSpecException("function " + function + ": source archive has more than "
                            + limits.maxEntries() + " entries");
                }
                Path out = resolve(function, target, entry.getName(), limits.maxDepth());
                if (entry.isDirectory()) {
                    createDirectories(function, entry.getName(), out);
                } else {
                    createDirectories(function, entry.getName(), out.getParent());
                    if (Files.isDirectory(out)) {
                        throw invalid(function, entry.getName(), "conflicts with a directory of the same name");
                    }
                    copy(function, entry.getName(), in, out, budget);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the source archive of function " + function, e);
        }
        if (entries == 0) {
            throw new InvalidFunctionSpecException("function " + function + ": source archive is empty");
        }
    }

    /** The entry's place under {@code target}; refuses names that leave it or nest deeper than allowed. */
    private static Path resolve(String function, Path target, String name, int maxDepth) {
        Path out;
        try {
            out = target.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw invalid(function, name, "is not a valid file name");
        }
        if (!out.startsWith(target)) {
            throw invalid(function, name, "points outside the function directory");
        }
        if (target.relativize(out).getNameCount() > maxDepth) {
            throw invalid(function, name, "is nested more than " + maxDepth + " directories deep");
        }
        return out;
    }

    private static ZipEntry next(String function, ZipInputStream in) {
        try {
            return in.getNextEntry();
        } catch (IOException e) {
            throw new InvalidFunctionSpecException("function " + function + ": source archive is damaged ("
                    + e.getMessage() + ")");
        }
    }

    private static void createDirectories(String function, String name, Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw invalid(function, name, "conflicts with a file of the same name as one of its directories");
        }
    }

    /** Copies one entry, taking its bytes from the shared budget as they come. */
    private static void copy(String function, String name, ZipInputStream in, Path out,
                             ExpansionBudget.Reservation budget) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream file = Files.newOutputStream(out)) {
            for (int n; (n = read(function, name, in, buffer)) > 0; ) {
                budget.add(n);
                file.write(buffer, 0, n);
            }
        }
    }

    /** Reads from the archive; a read failure is the archive's fault (truncated, corrupt), not the gateway's. */
    private static int read(String function, String name, ZipInputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw invalid(function, name, "is truncated or corrupt (" + e.getMessage() + ")");
        }
    }

    private static InvalidFunctionSpecException invalid(String function, String name, String what) {
        return new InvalidFunctionSpecException("function " + function + ": source archive entry '" + name + "' "
                + what);
    }
}
