package io.dcf.build.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Python distributions made on the spot, for pip's {@code --no-index --find-links} in tests. */
public final class Wheels {

    private Wheels() {
    }

    /** A pure-Python wheel {@code name-version-py3-none-any.whl} whose module says {@code GREETING = greeting}. */
    public static Path pure(Path dir, String name, String version, String greeting) throws IOException {
        Files.createDirectories(dir);
        Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        String info = name + "-" + version + ".dist-info/";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
            put(zip, name + "/__init__.py", "GREETING = '" + greeting + "'\n");
            put(zip, info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
            put(zip, info + "WHEEL", "Wheel-Version: 1.0\nGenerator: dcf-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            put(zip, info + "RECORD", name + "/__init__.py,,\n" + info + "METADATA,,\n" + info + "WHEEL,,\n"
                    + info + "RECORD,,\n");
        }
        return wheel;
    }

    /** A source distribution only (it would need building): pip with --only-binary=:all: finds nothing to install. */
    public static Path sdist(Path dir, String name, String version) throws IOException {
        Files.createDirectories(dir);
        Path sdist = dir.resolve(name + "-" + version + ".tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(sdist))) {
            out.write(new byte[1024]); // an empty tar: pip never opens it
        }
        return sdist;
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0);
        zip.putNextEntry(e);
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
