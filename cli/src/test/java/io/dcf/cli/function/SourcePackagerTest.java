package io.dcf.cli.function;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The tar.gz bundle for build-service holds exactly what the zip for the gateway holds, reproducibly. */
class SourcePackagerTest {

    @TempDir
    Path dir;

    @TempDir
    Path out;

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void tarGz_sameFilesAsTheZip_buildOutputAndVcsLeftOut_modesKept_datesZero() throws IOException {
        write("Handler.java", "class Handler {}");
        write("lib/deep/data.txt", "data");
        write("target/Handler.class", "compiled");
        write(".git/config", "vcs");
        write("__pycache__/x.pyc", "bytecode");
        write("a/" + "long-directory-name/".repeat(6) + "file.txt", "a path longer than 100 characters");
        write("run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

        SourcePackager.tarGz(dir, out.resolve("a.tar.gz"));
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(out.resolve("a.tar.gz"));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
                contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        assertThat(entries.keySet()).containsExactlyElementsOf(SourcePackager.zip(dir).files());
        assertThat(entries.keySet()).contains("Handler.java", "lib/deep/data.txt", "run.sh")
                .noneMatch(n -> n.startsWith("target/") || n.startsWith(".git/") || n.endsWith(".pyc"))
                .anyMatch(n -> n.length() > 100);
        assertThat(contents).containsEntry("lib/deep/data.txt", "data");
        assertThat(entries.get("run.sh").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("Handler.java").getMode() & 0777).isEqualTo(0644);
        assertThat(entries.values()).allMatch(e -> e.getModTime().getTime() == 0 && e.isFile());

        SourcePackager.tarGz(dir, out.resolve("b.tar.gz"));
        assertThat(Files.readAllBytes(out.resolve("b.tar.gz"))).isEqualTo(Files.readAllBytes(out.resolve("a.tar.gz")));
    }
}
