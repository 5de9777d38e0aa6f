package io.dcf.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives for tests, hostile ones included (links, bombs, truncations). */
public final class Zips {

    private Zips() {
    }

    /** A zip of {@code name -> content} entries, in order (a name ending in '/' is a directory). */
    public static byte[] of(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] of(String name, String content) {
        return of(Map.of(name, content));
    }

    /** {@code count} small files. */
    public static byte[] manyEntries(int count) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("f" + i + ".txt", "x");
        }
        return of(entries);
    }

    /** One entry of {@code bytes} zeros: compresses about a thousand to one. */
    public static byte[] bomb(String name, int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (int left = bytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, Math.min(left, zeros.length));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip whose entry {@code link} is a Unix symbolic link to {@code target}, as {@code zip -y} makes it. */
    public static byte[] symlink(String link, String target) {
        byte[] zip = of(Map.of("handler.py", "def Handler(req): return req.input\n", link, target));
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 < zip.length; i++) {
            if (buf.getInt(i) == 0x02014b50) {
                int nameLength = Short.toUnsignedInt(buf.getShort(i + 28));
                String name = new String(zip, i + 46, nameLength, StandardCharsets.UTF_8);
                if (name.equals(link)) {
                    buf.putShort(i + 4, (short) ((3 << 8) | 20)); // made by Unix, zip 2.0
                    buf.putInt(i + 38, 0120777 << 16);            // S_IFLNK | 0777
                }
            }
        }
        return zip;
    }

    /** The first {@code fraction} of a zip: cut off before its central directory. */
    public static byte[] truncated(byte[] zip, double fraction) {
        return Arrays.copyOf(zip, (int) (zip.length * fraction));
    }
}
