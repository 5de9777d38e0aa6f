package io.dcf.proto;

/**
 * Where a model file may go ({@code ModelStart.path}, {@code LayerStart.path}): one rule for
 * the gateway and build-service. Pure.
 */
public final class ModelPaths {

    /** Where a model goes when no path is given: {@code /models/<file name>}. */
    public static final String DEFAULT_DIRECTORY = "/models/";
    private static final int MAX_PATH = 1024;
    private static final int MAX_SEGMENT = 255;

    private ModelPaths() {
    }

    /**
     * The absolute path the file goes to: {@code path}, or {@code /models/<fileName>} when it is
     * empty. Throws IllegalArgumentException naming the field ({@code path: ...},
     * {@code file_name: ...}) for relative paths, {@code .} or {@code ..} segments, empty
     * segments, the root, control characters or backslashes, overlong paths or names.
     */
    public static String resolve(String path, String fileName) {
        if (path.isEmpty()) {
            if (fileName.isEmpty()) {
                throw new IllegalArgumentException("path: missing (give a path, or a file name for the default "
                        + DEFAULT_DIRECTORY + "<file name>)");
            }
            checkSegment("file_name", fileName, fileName);
            return DEFAULT_DIRECTORY + fileName;
        }
        return check(path);
    }

    /** {@code path} when it is an absolute, normalized file path; else IllegalArgumentException naming {@code path}. */
    public static String check(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' must be absolute (e.g. /models/model.bin)");
        }
        if (path.length() > MAX_PATH) {
            throw new IllegalArgumentException("path: " + path.length() + " characters (expected: at most "
                    + MAX_PATH + ")");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            checkSegment("path", path, segment);
        }
        return path;
    }

    private static void checkSegment(String field, String whole, String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException(field + ": '" + whole + "' has an empty segment (expected: /dir/file)");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException(field + ": '" + whole + "' must not contain '" + segment + "'");
        }
        if (segment.contains("/")) {
            throw new IllegalArgumentException(field + ": '" + whole + "' must be a plain file name, without '/'");
        }
        if (segment.length() > MAX_SEGMENT) {
            throw new IllegalArgumentException(field + ": a name of " + segment.length()
                    + " characters (expected: at most " + MAX_SEGMENT + ")");
        }
        if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new IllegalArgumentException(field + ": '" + whole.replaceAll("\\p{Cntrl}", "?")
                    + "' holds a control character or a backslash");
        }
    }
}
