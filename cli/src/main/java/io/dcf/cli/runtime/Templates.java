package io.dcf.cli.runtime;

import io.dcf.cli.CliException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Copies a runtime's template (a directory on disk or inside a jar) into a new function directory. */
public final class Templates {

    private Templates() {
    }

    /** Copies every file under {@code template} into {@code target}; returns the relative paths copied. */
    public static List<String> copy(Path template, Path target) throws IOException {
        if (!Files.isDirectory(template)) {
            throw CliException.usage("the runtime template " + template + " is missing");
        }
        List<String> copied = new ArrayList<>();
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : files.sorted().toList()) {
                String relative = template.relativize(source).toString();
                if (relative.isEmpty()) {
                    continue;
                }
                Path dest = target.resolve(relative.replace(source.getFileSystem().getSeparator(), "/")).normalize();
                if (!dest.startsWith(target)) {
                    continue;
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest);
                    copied.add(target.relativize(dest).toString());
                }
            }
        }
        return copied;
    }
}
