package io.dcf.images.testing;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/** Test helpers: containerize to a registry or tarball with caches under a test directory; make small inputs. */
public final class Images {

    private Images() {
    }

    /** Pushes {@code image} to {@code host/repositoryAndTag} over plain HTTP. */
    public static JibContainer push(JibContainerBuilder image, String host, String repositoryAndTag, Path cache)
            throws Exception {
        return image.containerize(caches(
                Containerizer.to(RegistryImage.named(host + "/" + repositoryAndTag)).setAllowInsecureRegistries(true),
                cache));
    }

    /**
     * A tiny base written as a docker-save tarball by Jib itself (one layer with /etc/passwd and an
     * env PATH), to check the recipes' layering fast; BaseImagesIT uses the real bases.
     */
    public static Path tinyBase(Path dir) throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/sbin/nologin\n");
        Path tar = dir.resolve("tiny-base.tar");
        Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("etc")
                        .addEntry(passwd, AbsoluteUnixPath.get("/etc/passwd")).build())
                .addEnvironmentVariable("PATH", "/usr/bin:/bin")
                .containerize(caches(Containerizer.to(TarImage.at(tar).named("test/tiny-base:1")), dir.resolve("cache")));
        return tar;
    }

    /** A jar holding one entry {@code name} with {@code content}. */
    public static Path jar(Path file, String name, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            ZipEntry entry = new ZipEntry(name);
            entry.setTime(0);
            out.putNextEntry(entry);
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }

    public static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static Containerizer caches(Containerizer containerizer, Path cache) {
        return containerizer.setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("app"))
                .setToolName("dcf-test");
    }
}
