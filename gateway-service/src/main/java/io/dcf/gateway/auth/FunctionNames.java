package io.dcf.gateway.auth;

import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.FunctionRequest;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.ScaleServiceRequest;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.LogsRequest;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.RollbackRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.dcf.proto.v1.VersionsRequest;

/** The function a request of dcf.v1 or of the compat services is about; "" when it names none. */
final class FunctionNames {

    private static final int MAX_LOGGED = 80;

    private FunctionNames() {
    }

    static String of(Object request) {
        if (request instanceof DeployRequest r) {
            return r.getSpec().getName();
        } else if (request instanceof DeployFollowRequest r) {
            return r.getRequest().getSpec().getName();
        } else if (request instanceof DeleteRequest r) {
            return r.getName();
        } else if (request instanceof GetRequest r) {
            return r.getName();
        } else if (request instanceof ScaleRequest r) {
            return r.getName();
        } else if (request instanceof LogsRequest r) {
            return r.getName();
        } else if (request instanceof VersionsRequest r) {
            return r.getName();
        } else if (request instanceof RollbackRequest r) {
            return r.getName();
        } else if (request instanceof ModelChunk r) {
            return r.getStart().getName();
        } else if (request instanceof InvokeRequest r) {
            return r.getFunction();
        } else if (request instanceof CreateFunctionRequest r) {
            return r.getService();
        } else if (request instanceof DeleteFunctionRequest r) {
            return r.getFunctionName();
        } else if (request instanceof FunctionRequest r) {
            return r.getFunctionName();
        } else if (request instanceof ScaleServiceRequest r) {
            return r.getServiceName();
        } else if (request instanceof InvokeServiceRequest r) {
            return r.getService();
        }
        return "";
    }

    /** {@code name} made safe for one log line: printable ASCII, at most 80 characters, "-" when empty. */
    static String forLog(String name) {
        if (name == null || name.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_LOGGED));
        name.codePoints().limit(MAX_LOGGED).forEach(c -> out.append(c > 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }
}
