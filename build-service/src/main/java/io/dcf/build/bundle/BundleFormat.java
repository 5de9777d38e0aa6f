package io.dcf.build.bundle;

/** How a bundle is packed: {@code BuildStart.bundle_format}. */
public enum BundleFormat {
    TAR_GZ("tar.gz"),
    ZIP("zip");

    private final String key;

    BundleFormat(String key) {
        this.key = key;
    }

    /** "tar.gz" (also the empty default) or "zip". */
    public static BundleFormat of(String key) {
        if (key == null || key.isEmpty() || key.equals(TAR_GZ.key)) {
            return TAR_GZ;
        }
        if (key.equals(ZIP.key)) {
            return ZIP;
        }
        throw new IllegalArgumentException("bundle_format: '" + key + "' (expected: tar.gz or zip)");
    }

    public String key() {
        return key;
    }
}
