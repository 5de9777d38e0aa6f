package io.dcf.build.bundle;

/**
 * One entry of a bundle as its archive declares it.
 *
 * @param name       the path in the archive, as written
 * @param kind       what it is
 * @param linkTarget the target of a link ({@link Kind#SYMLINK}, {@link Kind#HARDLINK}); else empty
 * @param executable whether a file has an execute bit
 */
record BundleEntry(String name, Kind kind, String linkTarget, boolean executable) {

    enum Kind {
        FILE, DIRECTORY, SYMLINK, HARDLINK, DEVICE, FIFO, OTHER
    }
}
