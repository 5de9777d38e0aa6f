package io.dcf.gateway.build.local;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory (where the entry count and each entry's Unix file
 * type live, which {@code ZipInputStream} never sees), so that an archive is judged
 * before anything is written: truncated archives (no end record), too many entries,
 * symbolic links.
 */
final class ZipCentralDirectory {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int ENTRY_SIZE = 46;
    private static final int UNIX_HOST = 3;
    private static final int TYPE_MASK = 0xF000;
    private static final int TYPE_LINK = 0xA000;

    /** One entry: its name and whether it is a symbolic link. */
    record Entry(String name, boolean symlink) {
    }

    private ZipCentralDirectory() {
    }

    /** The archive's entries, in directory order; fails naming {@code function} when the archive is damaged. */
    static List<Entry> read(String function, byte[] zip, int maxEntries) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = findEnd(buf);
        if (end < 0) {
            throw invalid(function, "is not a zip, or is truncated (no end of central directory record)");
        }
        int count = Short.toUnsignedInt(buf.getShort(end + 10));
        long size = Integer.toUnsignedLong(buf.getInt(end + 12));
        long offset = Integer.toUnsignedLong(buf.getInt(end + 16));
        if (count == 0xFFFF || offset == 0xFFFFFFFFL) {
            throw invalid(function, "is a ZIP64 archive (more than 65,535 entries or 4 GiB): too large for a"
                    + " function's code");
        }
        if (count > maxEntries) {
            throw invalid(function, "has " + count + " entries (expected: at most " + maxEntries + ")");
        }
        if (offset + size > end) {
            throw invalid(function, "is truncated or damaged (its central directory lies past the end)");
        }
        List<Entry> entries = new ArrayList<>(count);
        int pos = (int) offset;
        for (int i = 0; i < count; i++) {
            if (pos + ENTRY_SIZE > end || buf.getInt(pos) != ENTRY_SIGNATURE) {
                throw invalid(function, "is damaged (central directory entry " + (i + 1) + " is unreadable)");
            }
            int madeBy = Short.toUnsignedInt(buf.getShort(pos + 4)) >>> 8;
            int nameLength = Short.toUnsignedInt(buf.getShort(pos + 28));
            int extraLength = Short.toUnsignedInt(buf.getShort(pos + 30));
            int commentLength = Short.toUnsignedInt(buf.getShort(pos + 32));
            int unixMode = buf.getInt(pos + 38) >>> 16;
            if (pos + ENTRY_SIZE + nameLength > end) {
                throw invalid(function, "is damaged (central directory entry " + (i + 1) + " is cut off)");
            }
            String name = new String(zip, pos + ENTRY_SIZE, nameLength, StandardCharsets.UTF_8);
            entries.add(new Entry(name, madeBy == UNIX_HOST && (unixMode & TYPE_MASK) == TYPE_LINK));
            pos += ENTRY_SIZE + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    private static int findEnd(ByteBuffer buf) {
        int last = buf.limit() - END_SIZE;
        int first = Math.max(0, last - 0xFFFF);
        for (int i = last; i >= first; i--) {
            if (buf.getInt(i) == END_SIGNATURE) {
                return i;
            }
        }
        return -1;
    }

    private static InvalidFunctionSpecException invalid(String function, String what) {
        return new InvalidFunctionSpecException("function " + function + ": source archive " + what);
    }
}
