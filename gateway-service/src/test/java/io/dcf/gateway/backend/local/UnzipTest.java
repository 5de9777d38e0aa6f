package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnzipTest {

    @TempDir
    Path tmp;

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void extract_writesEntries() throws IOException {
        Unzip.extract("fn", zip("pkg/handler.py", "def Handler(req): return req.input"), tmp.resolve("out"));
        assertThat(tmp.resolve("out/pkg/handler.py")).hasContent("def Handler(req): return req.input");
    }

    @Test
    void extract_refusesEntriesOutsideTheTarget() throws IOException {
        byte[] evil = zip("../../escape.txt", "x");
        assertThatThrownBy(() -> Unzip.extract("fn", evil, tmp.resolve("out")))
                .hasMessageContaining("points outside");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void extract_stopsArchivesThatExpandPastTheLimit() throws IOException {
        byte[] bomb = zip("big.txt", "0".repeat(100_000)); // compresses to a few hundred bytes
        assertThat(bomb.length).isLessThan(2_000);
        assertThatThrownBy(() -> Unzip.extract("fn", bomb, tmp.resolve("out"), 10_000))
                .hasMessage("function fn: source archive expands to more than 10000 bytes");
        Unzip.extract("fn", bomb, tmp.resolve("ok"), 100_000);
        assertThat(tmp.resolve("ok/big.txt")).hasSize(100_000);
    }

    @Test
    void extract_rejectsGarbage() {
        assertThatThrownBy(() -> Unzip.extract("fn", "not a zip".getBytes(StandardCharsets.UTF_8), tmp.resolve("out")))
                .hasMessageContaining("function fn: source archive");
    }
}
