package io.dcf.gateway.version;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.VersionsReply;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A function's version history, newest first and bounded: what {@code dcf function versions}
 * lists and what a rollback picks from. Both backends keep one (locally beside the function's
 * record, on Kubernetes in an annotation of its Deployment) and change it only through this
 * class. Pure and immutable.
 */
public final class FunctionVersions {

    /** The versions kept by default: older ones are dropped from the history. */
    public static final int DEFAULT_LIMIT = 20;

    /** What made a version ({@code FunctionVersion.cause}). */
    public static final String DEPLOY = "deploy";
    public static final String UPDATE = "update";
    public static final String UPDATE_MODEL = "update-model";
    public static final String ROLLBACK = "rollback";

    private final String function;
    private final List<FunctionVersion> versions;

    private FunctionVersions(String function, List<FunctionVersion> versions) {
        this.function = requireNonNull(function, "function");
        this.versions = List.copyOf(versions);
    }

    /** An empty history (a function deployed before versions were recorded starts here). */
    public static FunctionVersions empty(String function) {
        return new FunctionVersions(function, List.of());
    }

    /** Reads what {@link #toJson} wrote; an unreadable text is an empty history (logged by the caller). */
    public static FunctionVersions fromJson(String function, String json) throws InvalidProtocolBufferException {
        VersionsReply.Builder reply = VersionsReply.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(json, reply);
        return new FunctionVersions(function, reply.getVersionsList());
    }

    public String toJson() {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace()
                    .print(VersionsReply.newBuilder().setName(function).addAllVersions(versions));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a VersionsReply always prints as JSON", e);
        }
    }

    /** Newest first; the newest is the current one. */
    public List<FunctionVersion> list() {
        return versions;
    }

    /**
     * The history with {@code next} recorded as the current version, keeping at most {@code limit}
     * versions (the oldest are dropped). A version whose number is already recorded replaces it.
     */
    public FunctionVersions record(FunctionVersion next, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        List<FunctionVersion> list = new ArrayList<>();
        list.add(next.toBuilder().setCurrent(true).build());
        for (FunctionVersion v : versions) {
            if (v.getVersion() != next.getVersion() && list.size() < limit) {
                list.add(v.toBuilder().setCurrent(false).build());
            }
        }
        return new FunctionVersions(function, list);
    }

    /**
     * The history without its oldest versions until its JSON takes at most {@code maxBytes}
     * (the current version always stays): for a store with a size limit, a Kubernetes annotation.
     */
    public FunctionVersions boundedTo(int maxBytes) {
        FunctionVersions bounded = this;
        while (bounded.versions.size() > 1
                && bounded.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
            bounded = new FunctionVersions(function, bounded.versions.subList(0, bounded.versions.size() - 1));
        }
        return bounded;
    }

    /** The history with {@code available} set on each version as {@code stillAvailable} says. */
    public FunctionVersions withAvailability(LongPredicate stillAvailable) {
        return new FunctionVersions(function, versions.stream()
                .map(v -> v.toBuilder().setAvailable(stillAvailable.test(v.getVersion())).build()).toList());
    }

    /**
     * The version a rollback goes to: {@code to}, or with 0 the newest one before the current
     * that is still available. NOT_FOUND for a version not in the history; FAILED_PRECONDITION
     * for the current one, one whose code is gone, or when there is nothing to go back to.
     */
    public FunctionVersion rollbackTarget(long to) {
        if (to < 0) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT, "function " + function + ": to_version: " + to
                    + " (expected: >= 0; 0 = the version before the current one)");
        }
        if (to == 0) {
            return versions.stream().skip(1).filter(FunctionVersion::getAvailable).findFirst()
                    .orElseThrow(() -> new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function
                            + " has no earlier version to roll back to (see dcf function versions " + function + ")"));
        }
        FunctionVersion target = versions.stream().filter(v -> v.getVersion() == to).findFirst()
                .orElseThrow(() -> new DcfException(Status.Code.NOT_FOUND, "function " + function + ": version "
                        + to + " not found (known: " + numbers() + ")"));
        if (target.getCurrent()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function + ": version " + to
                    + " is the current version");
        }
        if (!target.getAvailable()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function + ": version " + to
                    + " can no longer be rolled back to (its code was removed; only the newest generations are kept)");
        }
        return target;
    }

    /** The current version's model fields, or none (a code update starts without a model). */
    public FunctionVersion currentModel() {
        if (versions.isEmpty()) {
            return FunctionVersion.getDefaultInstance();
        }
        FunctionVersion current = versions.get(0);
        return FunctionVersion.newBuilder().setModelPath(current.getModelPath())
                .setModelDigest(current.getModelDigest()).setModelBytes(current.getModelBytes()).build();
    }

    /** A new version entry: {@code cause} made {@code version} running {@code spec}. */
    public static FunctionVersion.Builder entry(long version, String cause, FunctionSpec spec, Timestamp created) {
        return FunctionVersion.newBuilder().setVersion(version).setCause(cause).setSpec(spec).setCreated(created)
                .setAvailable(true);
    }

    private String numbers() {
        return String.join(", ", versions.stream().map(v -> Long.toString(v.getVersion())).toList());
    }
}
