package io.dcf.gateway.backend.local;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/** Extracts a function's source archive, refusing entries that escape the target. */
final class Unzip {

    private Unzip() {
    }

    static void extract(String function, byte[] zip, Path target) {
        int entries = 0;
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
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
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
}
