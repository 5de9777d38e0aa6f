package io.dcf.gateway.backend.local;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Extracts a function's source archive, refusing entries that escape the target and
 * archives that expand beyond a limit (a zip bomb must not fill DCF_HOME's disk).
 */
final class Unzip {

    /** The most bytes one source archive may expand to. */
    static final long MAX_EXTRACTED_BYTES = 2L << 30;

    private Unzip() {
    }

    static void extract(String function, byte[] zip, Path target) {
        extract(function, zip, target, MAX_EXTRACTED_BYTES);
    }

    static void extract(String function, byte[] zip, Path target, long maxBytes) {
        int entries = 0;
        long extracted = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            Files.createDirectories(target);
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries++;
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new InvalidFunctionSpecException("function " + function + ": source archive entry '"
                            + entry.getName() + "' points outside the function directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    extracted += copy(function, in, out, maxBytes - extracted, maxBytes);
                }
            }
        } catch (ZipException e) {
            throw new InvalidFunctionSpecException("function " + function + ": source archive is not a valid zip: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the source archive of function " + function, e);
        }
        if (entries == 0) {
            throw new InvalidFunctionSpecException("function " + function + ": source archive is empty or not a zip");
        }
    }

    /** Copies one entry, failing once the archive as a whole passes {@code maxBytes}. */
    private static long copy(String function, ZipInputStream in, Path out, long remaining, long maxBytes)
            throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (var file = Files.newOutputStream(out)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > remaining) {
                    throw new InvalidFunctionSpecException("function " + function + ": source archive expands to"
                            + " more than " + maxBytes + " bytes");
                }
                file.write(buffer, 0, n);
            }
        }
        return written;
    }
}
