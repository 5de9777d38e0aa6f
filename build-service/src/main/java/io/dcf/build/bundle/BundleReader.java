package io.dcf.build.bundle;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** The entries of a bundle file in archive order, each with its content while it is current. */
abstract class BundleReader implements Closeable {

    private static final int MAX_LINK_TARGET = 4096;
    private static final int BUFFER = 64 * 1024;

    /** The next entry, or null at the end. */
    abstract BundleEntry next() throws IOException;

    /** The content of the current entry (a file's bytes). */
    abstract InputStream content() throws IOException;

    static BundleReader open(Path bundle, BundleFormat format) throws IOException {
        return format == BundleFormat.ZIP ? new Zip(bundle) : new TarGz(bundle);
    }

    private static final class TarGz extends BundleReader {
        private final TarArchiveInputStream tar;

        TarGz(Path bundle) throws IOException {
            InputStream in = new BufferedInputStream(Files.newInputStream(bundle));
            try {
                this.tar = new TarArchiveInputStream(new GZIPInputStream(in, BUFFER), StandardCharsets.UTF_8.name());
            } catch (IOException e) {
                in.close();
                throw e;
            }
        }

        @Override
        BundleEntry next() throws IOException {
            TarArchiveEntry e = tar.getNextEntry();
            if (e == null) {
                return null;
            }
            boolean exec = (e.getMode() & 0111) != 0;
            if (e.isSymbolicLink()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.SYMLINK, e.getLinkName(), false);
            }
            if (e.isLink()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.HARDLINK, e.getLinkName(), false);
            }
            if (e.isCharacterDevice() || e.isBlockDevice()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.DEVICE, "", false);
            }
            if (e.isFIFO()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.FIFO, "", false);
            }
            if (e.isDirectory()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.DIRECTORY, "", false);
            }
            if (e.isFile()) {
                return new BundleEntry(e.getName(), BundleEntry.Kind.FILE, "", exec);
            }
            return new BundleEntry(e.getName(), BundleEntry.Kind.OTHER, "", false);
        }

        @Override
        InputStream content() {
            return new FilterInputStream(tar) {
                @Override
                public void close() {
                    // the entry ends here, the archive goes on
                }
            };
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    private static final class Zip extends BundleReader {
        private final ZipFile zip;
        private final Enumeration<ZipArchiveEntry> entries;
        private ZipArchiveEntry current;

        Zip(Path bundle) throws IOException {
            this.zip = ZipFile.builder().setPath(bundle).get();
            this.entries = zip.getEntriesInPhysicalOrder();
        }

        @Override
        BundleEntry next() throws IOException {
            if (!entries.hasMoreElements()) {
                return null;
            }
            current = entries.nextElement();
            String name = current.getName();
            if (current.isUnixSymlink()) {
                byte[] target;
                try (InputStream in = zip.getInputStream(current)) {
                    target = in.readNBytes(MAX_LINK_TARGET);
                }
                return new BundleEntry(name, BundleEntry.Kind.SYMLINK, new String(target, StandardCharsets.UTF_8), false);
            }
            if (current.isDirectory()) {
                return new BundleEntry(name, BundleEntry.Kind.DIRECTORY, "", false);
            }
            int type = current.getUnixMode() & 0170000;
            if (type == 0020000 || type == 0060000) {
                return new BundleEntry(name, BundleEntry.Kind.DEVICE, "", false);
            }
            if (type == 0010000) {
                return new BundleEntry(name, BundleEntry.Kind.FIFO, "", false);
            }
            return new BundleEntry(name, BundleEntry.Kind.FILE, "", (current.getUnixMode() & 0111) != 0);
        }

        @Override
        InputStream content() throws IOException {
            return zip.getInputStream(current);
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
