package io.dcf.build.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.build.testing.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bundles: each refused with an error naming the entry, and nothing written outside
 * the target directory (its parent, which holds a decoy file, stays as it was).
 */
class BundleExtractorTest {

    private static final BundleLimits LIMITS = new BundleLimits(1 << 20, 100, 8);

    @TempDir
    Path tmp;
    private Path parent;
    private Path target;
    private Path decoy;

    @BeforeEach
    void layout() throws IOException {
        parent = Files.createDirectories(tmp.resolve("builds"));
        target = parent.resolve("src");
        decoy = Files.writeString(parent.resolve("decoy"), "untouched");
    }

    @Test
    void extract_ordinaryBundle_unpacksFilesDirsModesAndInnerLinks() throws IOException {
        Path bundle = Bundles.tarGz().dir("./").file("./Handler.java", "class Handler {}").dir("lib/")
                .file("lib/run.sh", "#!/bin/sh\n".getBytes(), 0755).file("data/model.json", "{}")
                .symlink("model.json", "data/model.json").hardLink("copy.json", "data/model.json")
                .writeTo(tmp.resolve("b.tar.gz"));
        BundleExtractor.Extracted x = extractor().extract("fn", bundle, BundleFormat.TAR_GZ, target);
        assertThat(x.entries()).isEqualTo(6); // "." is the root, not an entry
        assertThat(target.resolve("Handler.java")).hasContent("class Handler {}");
        assertThat(Files.isExecutable(target.resolve("lib/run.sh"))).isTrue();
        assertThat(Files.isSymbolicLink(target.resolve("model.json"))).isTrue();
        assertThat(target.resolve("model.json")).hasContent("{}");
        assertThat(Files.isSymbolicLink(target.resolve("copy.json"))).isFalse();
        assertThat(target.resolve("copy.json")).hasContent("{}");
        assertParentUntouched();
    }

    @Test
    void extract_dotDotEntry_isRefusedNamingIt() {
        refused(Bundles.tarGz().file("ok.txt", "ok").file("../evil.txt", "x"), "'../evil.txt': '..' leaves");
        assertThat(parent.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void extract_nestedDotDot_isRefused() {
        refused(Bundles.tarGz().file("a/b/../../../evil.txt", "x"), "'a/b/../../../evil.txt'");
    }

    @Test
    void extract_absolutePath_isRefused() {
        refused(Bundles.tarGz().file("/tmp/evil.txt", "x"), "'/tmp/evil.txt': absolute paths are not allowed");
    }

    @Test
    void extract_symlinkOut_isRefused() {
        refused(Bundles.tarGz().symlink("up", "../"), "'up': symbolic link to '../' leaves");
        refused(Bundles.tarGz().symlink("etc", "/etc"), "'etc': symbolic link to '/etc' leaves");
    }

    @Test
    void extract_fileThroughASymlink_isRefused_evenAnInnerOne() throws IOException {
        Files.createDirectories(tmp.resolve("outside"));
        refused(Bundles.tarGz().dir("inner").symlink("link", "inner").file("link/evil.txt", "x"),
                "'link/evil.txt': goes through the symbolic link 'link'");
    }

    @Test
    void extract_chainOfLinksOut_isRefusedWhenFollowed() {
        // 'here' points at the root itself, so 'here/../decoy' is lexically inside but really outside
        refused(Bundles.tarGz().symlink("here", ".").symlink("esc", "here/../../decoy"), "leaves");
        refused(Bundles.tarGz().symlink("here", ".").symlink("esc", "here/.."), "'esc'");
    }

    @Test
    void extract_danglingSymlink_isRefused() {
        refused(Bundles.tarGz().symlink("nothing", "missing.txt"), "'nothing': symbolic link to 'missing.txt', which is not in the bundle");
    }

    @Test
    void extract_hardLinkOut_isRefused() {
        refused(Bundles.tarGz().hardLink("passwd", "../../../../etc/passwd"),
                "'passwd': hard link to '../../../../etc/passwd' leaves");
        refused(Bundles.tarGz().hardLink("passwd", "/etc/passwd"), "'passwd': hard link to '/etc/passwd' leaves");
    }

    @Test
    void extract_deviceFilesAndFifos_areRefused() {
        refused(Bundles.tarGz().special("dev/sda", TarConstants.LF_BLK), "'dev/sda': device files are not allowed");
        refused(Bundles.tarGz().special("tty", TarConstants.LF_CHR), "'tty': device files are not allowed");
        refused(Bundles.tarGz().special("pipe", TarConstants.LF_FIFO), "'pipe': FIFOs");
    }

    @Test
    void extract_tooManyEntries_isALimit() {
        Bundles b = Bundles.tarGz();
        for (int i = 0; i <= 100; i++) {
            b.file("f" + i, "");
        }
        BundleException e = refused(b, "'f100': more than 100 entries");
        assertThat(e.limit()).isTrue();
    }

    @Test
    void extract_bomb_stopsAtTheByteLimit() {
        byte[] mib = new byte[1 << 20];
        BundleException e = refused(Bundles.tarGz().file("a.bin", mib, 0644).file("b.bin", new byte[1], 0644),
                "'b.bin': the bundle expands to more than 1048576 bytes");
        assertThat(e.limit()).isTrue();
        assertThat(e.getMessage()).startsWith("function fn: bundle entry");
    }

    @Test
    void extract_tooDeep_isALimit() {
        assertThat(refused(Bundles.tarGz().file("1/2/3/4/5/6/7/8/9", "x"), "nested deeper than 8").limit()).isTrue();
    }

    @Test
    void extract_duplicateFile_isRefused() {
        refused(Bundles.tarGz().file("a", "1").file("a", "2"), "'a': appears twice");
    }

    @Test
    void extract_notAnArchive_isMalformed() throws IOException {
        Path bundle = Files.writeString(tmp.resolve("b.tar.gz"), "not gzip");
        assertThatThrownBy(() -> extractor().extract("fn", bundle, BundleFormat.TAR_GZ, target))
                .isInstanceOf(BundleException.class).hasMessageContaining("not a readable tar.gz archive");
    }

    @Test
    void extract_zipTraversalAndSymlink_areRefused() throws IOException {
        Path evil = Files.write(tmp.resolve("evil.zip"), Bundles.zipWith("../evil.txt", "x", false));
        assertThatThrownBy(() -> extractor().extract("fn", evil, BundleFormat.ZIP, target))
                .hasMessageContaining("'../evil.txt': '..' leaves");
        Path link = Files.write(tmp.resolve("link.zip"), Bundles.zipWith("etc", "/etc", true));
        assertThatThrownBy(() -> extractor().extract("fn", link, BundleFormat.ZIP, parent.resolve("src2")))
                .hasMessageContaining("'etc': symbolic link to '/etc' leaves");
        assertParentUntouched("src", "src2");
    }

    @Test
    void extract_zip_unpacks() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fn"));
        Files.writeString(Files.createDirectories(dir.resolve("pkg")).resolve("a.py"), "x = 1\n");
        Path zip = Files.write(tmp.resolve("fn.zip"), Bundles.zipOf(dir));
        extractor().extract("fn", zip, BundleFormat.ZIP, target);
        assertThat(target.resolve("pkg/a.py")).hasContent("x = 1");
    }

    @Test
    void format_namesTheExpected() {
        assertThat(BundleFormat.of("")).isEqualTo(BundleFormat.TAR_GZ);
        assertThat(BundleFormat.of("zip")).isEqualTo(BundleFormat.ZIP);
        assertThatThrownBy(() -> BundleFormat.of("rar")).hasMessage("bundle_format: 'rar' (expected: tar.gz or zip)");
    }

    private BundleExtractor extractor() {
        return new BundleExtractor(LIMITS);
    }

    private BundleException refused(Bundles bundle, String message) {
        Path file;
        try {
            file = bundle.writeTo(Files.createTempFile(tmp, "bundle", ".tar.gz"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path into = parent.resolve("src-" + file.getFileName());
        BundleException e = (BundleException) org.assertj.core.api.Assertions.catchThrowable(
                () -> extractor().extract("fn", file, BundleFormat.TAR_GZ, into));
        assertThat(e).isNotNull().hasMessageContaining(message);
        assertParentUntouched(into.getFileName().toString());
        return e;
    }

    private void assertParentUntouched(String... targets) { // targets: directories extracted into (src*)
        try (Stream<Path> list = Files.list(parent)) {
            List<String> names = list.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).allMatch(n -> n.equals("decoy") || n.startsWith("src"), "only the decoy and targets");
            assertThat(Files.isRegularFile(decoy, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(decoy).hasContent("untouched");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
