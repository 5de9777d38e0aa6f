package io.dcf.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed OCI Distribution path: {@code /v2/<name>/(blobs|manifests)/<reference>} or
 * {@code /v2/<name>/blobs/uploads/...}. Only a {@code sha256:} reference by digest is cacheable.
 *
 * @param name      the repository name ({@code fn/hello-java}), or empty for {@code /v2/} itself
 * @param kind      {@code blobs}, {@code manifests}, {@code uploads} or {@code other}
 * @param reference the digest or tag, or empty
 */
record V2Path(String name, String kind, String reference) {

    private static final Pattern PATH = Pattern.compile(
            "^/v2/(.+?)/(blobs/uploads|blobs|manifests|tags)(?:/([^/?]*))?.*$");
    private static final Pattern SHA256 = Pattern.compile("^sha256:[a-f0-9]{64}$");

    static V2Path parse(String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        Matcher m = PATH.matcher(bare);
        if (!m.matches()) {
            return new V2Path("", "other", "");
        }
        String kind = m.group(2).equals("blobs/uploads") ? "uploads" : m.group(2);
        return new V2Path(m.group(1), kind, m.group(3) == null ? "" : m.group(3));
    }

    /** The cache key of a {@code sha256} digest reference ({@code blobs/sha256/<hex>}), if this path has one. */
    Optional<String> cacheKey() {
        if ((kind.equals("blobs") || kind.equals("manifests")) && SHA256.matcher(reference).matches()) {
            return Optional.of(kind + "/sha256/" + reference.substring("sha256:".length()));
        }
        return Optional.empty();
    }

    /** The token scope a request on this path needs ({@code repository:<name>:pull[,push]}), or empty for {@code /v2/}. */
    String scope(boolean push) {
        return name.isEmpty() ? "" : "repository:" + name + (push ? ":pull,push" : ":pull");
    }
}
