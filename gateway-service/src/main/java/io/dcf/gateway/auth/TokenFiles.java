package io.dcf.gateway.auth;

import io.dcf.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a token file, or makes a new random token in one (mode 0600) when a local gateway has none. */
public final class TokenFiles {

    private static final Logger log = LoggerFactory.getLogger(TokenFiles.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private TokenFiles() {
    }

    /** The token in {@code file}; when the file does not exist, a new random one written there first. */
    public static GatewayToken readOrCreate(Path file) {
        if (!Files.exists(file)) {
            String secret = RandomSecrets.next();
            try {
                AtomicFiles.writePrivate(file, secret + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the gateway token to " + file, e);
            }
            GatewayToken token = GatewayToken.of(secret);
            log.info("Generated a gateway token in {} (id {}); the dcf CLI on this machine reads it by itself",
                    file, token.id());
            return token;
        }
        return read(file);
    }

    /** The token in {@code file} (its first line, trimmed); fails naming the file when it is missing or empty. */
    public static GatewayToken read(Path file) {
        String secret = secret(file);
        warnIfShared(file);
        return GatewayToken.of(secret);
    }

    /**
     * The token itself as {@code file} holds it now (its first line, trimmed), for the gateway's own
     * calls to build-service; fails naming the file when it is missing or empty.
     */
    public static String secret(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gateway token file " + file
                    + " (dcf.gateway.auth.token-file)", e);
        }
        if (text.isEmpty()) {
            throw new IllegalStateException("the gateway token file " + file + " is empty");
        }
        return text.lines().findFirst().orElse("").strip();
    }

    /**
     * Warns when users other than the gateway's own can read or write {@code file}; returns whether it did.
     * A group that may only read is the gateway's own when the file's group is the process's group:
     * that is how the kubelet mounts a Secret (owner root, group the pod's fsGroup, mode 0440).
     */
    static boolean warnIfShared(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (isShared(permissions, Files.getAttribute(file, "unix:gid"), ProcessGroup.effectiveGid())) {
                log.warn("The gateway token file {} can be read by other users (mode {}); run chmod 600 {}",
                        file, PosixFilePermissions.toString(permissions), file);
                return true;
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot check the permissions of {}: {}", file, e.getMessage());
        }
        return false;
    }

    /** Whether anyone but the owner, or a read-only group that is {@code ownGid}, may read or write. */
    static boolean isShared(Set<PosixFilePermission> permissions, Object fileGid, OptionalInt ownGid) {
        Set<PosixFilePermission> shared = EnumSet.copyOf(OTHERS);
        shared.retainAll(permissions);
        boolean ownGroup = ownGid.isPresent() && fileGid instanceof Integer gid && gid == ownGid.getAsInt();
        return !shared.isEmpty() && !(ownGroup && shared.equals(EnumSet.of(PosixFilePermission.GROUP_READ)));
    }
}
