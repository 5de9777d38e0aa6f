package io.dcf.gateway.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.Zips;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnzipTest {

    @TempDir
    Path tmp;

    private final ExpansionBudget budget = new ExpansionBudget(1 << 20);

    private void extract(byte[] zip, Path target) {
        extract(zip, target, CodeLimits.DEFAULT);
    }

    private void extract(byte[] zip, Path target, CodeLimits limits) {
        try (ExpansionBudget.Reservation r = budget.reserve("fn")) {
            Unzip.extract("fn", zip, target, limits, r);
        }
    }

    @Test
    void extract_writesEntries() throws IOException {
        extract(Zips.of("pkg/handler.py", "def Handler(req): return req.input"), tmp.resolve("out"));
        assertThat(tmp.resolve("out/pkg/handler.py")).hasContent("def Handler(req): return req.input");
        assertThat(budget.used()).isZero();
    }

    @Test
    void extract_refusesEntriesOutsideTheTarget() {
        byte[] evil = Zips.of("../../escape.txt", "x");
        assertThatThrownBy(() -> extract(evil, tmp.resolve("out")))
                .hasMessage("function fn: source archive entry '../../escape.txt' points outside the function directory");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void extract_stopsArchivesThatExpandPastTheBudget() {
        byte[] bomb = Zips.bomb("big.txt", 2 << 20); // 2 MiB of zeros in a few KiB
        assertThat(bomb.length).isLessThan(10_000);
        assertThatThrownBy(() -> extract(bomb, tmp.resolve("out")))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageStartingWith("function fn: source archive expands to more than 1048576 bytes");
        assertThat(budget.used()).as("the reservation is given back").isZero();
    }

    @Test
    void extract_refusesSymbolicLinksNamingTheEntry() {
        assertThatThrownBy(() -> extract(Zips.symlink("secret", "/etc/passwd"), tmp.resolve("out")))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessage("function fn: source archive entry 'secret' is a symbolic link (an archive may hold"
                        + " only files and directories)");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void extract_truncatedArchive_isInvalidNotInternal() {
        byte[] zip = Zips.of(Map.of("handler.py", "x".repeat(10_000), "b.txt", "y".repeat(10_000)));
        assertThatThrownBy(() -> extract(Zips.truncated(zip, 0.5), tmp.resolve("out")))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageContaining("function fn: source archive is not a zip, or is truncated");
    }

    @Test
    void extract_refusesTooManyEntriesAndTooDeepNesting() {
        CodeLimits small = new CodeLimits(1 << 20, 5, 3);
        assertThatThrownBy(() -> extract(Zips.manyEntries(6), tmp.resolve("a"), small))
                .hasMessage("function fn: source archive has 6 entries (expected: at most 5)");
        assertThatThrownBy(() -> extract(Zips.of("a/b/c/d.txt", "x"), tmp.resolve("b"), small))
                .hasMessage("function fn: source archive entry 'a/b/c/d.txt' is nested more than 3 directories deep");
    }

    @Test
    void extract_fileThenDirectoryOfTheSameName_isInvalid() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("a", "file");
        entries.put("a/b.txt", "x");
        assertThatThrownBy(() -> extract(Zips.of(entries), tmp.resolve("out")))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageContaining("entry 'a/b.txt' conflicts with a file");
    }

    @Test
    void extract_rejectsGarbage() {
        assertThatThrownBy(() -> extract("not a zip".getBytes(StandardCharsets.UTF_8), tmp.resolve("out")))
                .hasMessageContaining("function fn: source archive is not a zip");
    }
}
