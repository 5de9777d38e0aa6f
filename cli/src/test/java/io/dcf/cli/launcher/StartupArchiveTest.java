package io.dcf.cli.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/** Which archive a gateway jar and JVM get, and the options that use or record it. */
class StartupArchiveTest {

    @TempDir
    Path dir;

    private final Path java = GatewayProcess.java();

    @Test
    void classPath_isTheJarAndTheLibrariesItsManifestNames() throws Exception {
        Path jar = gatewayJar("lib/a.jar lib/b.jar");

        assertThat(StartupArchive.classPath(jar)).containsExactly(jar, dir.resolve("lib/a.jar"), dir.resolve("lib/b.jar"));
    }

    @Test
    void archive_changesWithALibrary_theJvmAndItsKind() throws Exception {
        Path jar = gatewayJar("lib/a.jar lib/b.jar");
        Path cache = dir.resolve("cache");
        Path before = StartupArchive.of(cache, java, 17, "17.0.15", jar).archive();

        assertThat(StartupArchive.of(cache, java, 17, "17.0.15", jar).archive()).isEqualTo(before);
        assertThat(StartupArchive.of(cache, java, 17, "17.0.16", jar).archive()).isNotEqualTo(before);
        assertThat(StartupArchive.of(cache, java, 25, "25.0.3", jar).archive().toString()).endsWith(".aot");
        assertThat(before.toString()).endsWith(".jsa");
        Files.setLastModifiedTime(dir.resolve("lib/b.jar"), FileTime.fromMillis(1_000_000));
        assertThat(StartupArchive.of(cache, java, 17, "17.0.15", jar).archive()).isNotEqualTo(before);
    }

    @Test
    void jvmOptions_recordWithoutArchive_andDeleteArchivesOfOtherJars() throws Exception {
        Path jar = gatewayJar("lib/a.jar");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path old = Files.writeString(cache.resolve("gateway-0123456789abcdef.jsa"), "old");
        Path otherKind = Files.writeString(cache.resolve("gateway-0123456789abcdef.aot"), "jdk 25's");
        StartupArchive archive = StartupArchive.of(cache, java, 17, "17.0.15", jar);
        List<String> notices = new ArrayList<>();

        assertThat(archive.jvmOptions(notices::add))
                .containsExactly("-XX:ArchiveClassesAtExit=" + archive.pending(), "-Xlog:cds*=error");
        assertThat(notices).singleElement().asString().contains("records " + archive.archive());
        assertThat(old).doesNotExist();
        assertThat(otherKind).exists();

        Files.writeString(archive.archive(), "an archive");
        assertThat(archive.jvmOptions(notices::add)).containsExactly("-XX:SharedArchiveFile=" + archive.archive());
        StartupArchive aot = StartupArchive.of(cache, java, 25, "25", jar);
        assertThat(aot.jvmOptions(notices::add)).containsExactly("-XX:AOTCacheOutput=" + aot.pending(), "-Xlog:aot*=error");
    }

    @Test
    void jvmOptions_aDamagedRecording_isDeletedAfterItsTrial() throws Exception {
        Path jar = gatewayJar("");
        StartupArchive archive = StartupArchive.of(dir.resolve("cache"), java, 17, "17.0.15", jar);
        Files.createDirectories(archive.pending().getParent());
        Files.write(archive.pending(), new byte[4096]);
        List<String> notices = new ArrayList<>();

        List<String> options = archive.jvmOptions(notices::add);

        assertThat(notices.get(0)).contains(archive.pending() + " that the last gateway recorded cannot be used");
        assertThat(archive.pending()).doesNotExist();
        assertThat(options).first().asString().startsWith("-XX:ArchiveClassesAtExit=");
    }

    private Path gatewayJar(String classPath) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (!classPath.isEmpty()) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
            Files.createDirectories(dir.resolve("lib"));
            for (String lib : classPath.split(" ")) {
                Files.writeString(dir.resolve(lib), lib);
            }
        }
        Path jar = dir.resolve("dcf-gateway.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
