package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What separates a replica from the gateway and from other functions in local mode
 * (no containers): the only environment it inherits ({@code PATH} and locale, nothing
 * else of the gateway's), and, when the gateway runs as root, the unprivileged user it
 * runs as. See docs/operations.md, "Isolation of local replicas".
 *
 * @param runAs       the user replicas run as; empty runs them as the gateway's user
 * @param inherited   the gateway's variables every replica gets
 * @param note        one line for the gateway's log saying what is in effect and why
 * @param weakened    true when the gateway runs as root and so do its replicas (logged as a warning)
 * @param secrets     whether each replica gets a secret that calls must carry (off only for benchmarks
 *                    that call a replica directly)
 * @param hidden      with a value, each replica runs in a mount namespace of its own in which a
 *                    directory (DCF_HOME, or its topmost ancestor that others cannot search) is an empty
 *                    tmpfs with only the replica's own function directory mounted back
 */
public record ReplicaIsolation(Optional<RunAs> runAs, Map<String, String> inherited, String note, boolean weakened,
                               boolean secrets, Optional<Hidden> hidden) {

    /**
     * What a replica's mount namespace hides.
     *
     * @param top           the directory that becomes an empty tmpfs
     * @param userNamespace true for a gateway that is not root: the mount namespace needs a user
     *                      namespace of its own (the replica is "root" there, its capabilities dropped)
     */
    public record Hidden(Path top, boolean userNamespace) {
        public Hidden {
            requireNonNull(top, "top");
        }

        /** unshare's options for this kind of namespace. */
        List<String> unshareOptions() {
            return userNamespace ? List.of("--user", "--map-root-user", "--mount", "--propagation", "private")
                                 : List.of("--mount", "--propagation", "private");
        }
    }

    /** The gateway's variables a replica inherits; everything else it must be given. */
    static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ");

    public ReplicaIsolation {
        requireNonNull(runAs, "runAs");
        inherited = Map.copyOf(inherited);
        requireNonNull(note, "note");
        requireNonNull(hidden, "hidden");
    }

    /**
     * The words that start a replica in its own mount namespace (util-linux {@code unshare}):
     * {@code hidden} becomes an empty tmpfs, {@code functionDir} is mounted back at its path
     * (held through the working directory, since the tmpfs hides it), and the command runs in
     * {@code workDir}. Empty without {@link #hidden()}.
     */
    List<String> namespacePrefix(Path functionDir, Path workDir) {
        if (hidden.isEmpty()) {
            return List.of();
        }
        List<String> words = new java.util.ArrayList<>();
        words.add(UNSHARE);
        words.addAll(hidden.get().unshareOptions());
        words.addAll(List.of("--", "/bin/sh", "-c", NAMESPACE_SCRIPT, "dcf-replica", hidden.get().top().toString(),
                functionDir.toString(), workDir.toString()));
        if (hidden.get().userNamespace()) { // "root" in its own user namespace: drop what that would allow
            words.addAll(List.of(RunAs.SETPRIV, "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
        }
        return List.copyOf(words);
    }

    static final String UNSHARE = "/usr/bin/unshare";
    private static final String NAMESPACE_SCRIPT = "set -e; cd \"$2\";"
            + " mount -t tmpfs -o mode=0755,size=64k dcf-hidden \"$1\";"
            + " mkdir -p \"$2\"; mount --no-canonicalize --bind . \"$2\";"
            + " cd \"$3\"; shift 3; unset OLDPWD PWD; exec \"$@\"";

    /** Replicas as the gateway's user, with a clean environment taken from {@code gatewayEnv}. */
    public static ReplicaIsolation sameUser(Map<String, String> gatewayEnv, String note) {
        return new ReplicaIsolation(Optional.empty(), inheritedFrom(gatewayEnv), note, false, true, Optional.empty());
    }

    /** As {@link #sameUser} for a root gateway that could not start replicas as another user. */
    static ReplicaIsolation rootFallback(Map<String, String> gatewayEnv, String note) {
        return new ReplicaIsolation(Optional.empty(), inheritedFrom(gatewayEnv), note, true, true, Optional.empty());
    }

    /** The same, with replica secrets on or off. */
    public ReplicaIsolation withSecrets(boolean on) {
        return new ReplicaIsolation(runAs, inherited, note, weakened, on, hidden);
    }

    static Map<String, String> inheritedFrom(Map<String, String> gatewayEnv) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : INHERITED) {
            String value = gatewayEnv.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        kept.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return kept;
    }

    /**
     * An unprivileged user for replicas, entered with util-linux {@code setpriv}: no
     * supplementary groups, no capabilities, no new privileges.
     */
    public record RunAs(String user, int uid, int gid, String setpriv) {

        static final String SETPRIV = "/usr/bin/setpriv";

        public RunAs {
            requireNonNull(user, "user");
            if (uid <= 0) {
                throw new IllegalArgumentException("uid: " + uid + " (expected: > 0, not root)");
            }
            requireNonNull(setpriv, "setpriv");
        }

        /** The words put before a replica's command line. */
        List<String> prefix() {
            return List.of(setpriv, "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--");
        }
    }
}
