package io.dcf.cli.function;

import io.dcf.proto.v1.DeleteReply;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ListReply;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.LogLine;
import io.dcf.proto.v1.LogsRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.dcf.proto.v1.InfoReply;
import io.dcf.proto.v1.InfoRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory gateway on a real loopback port: records requests, echoes invocations, and
 * like the real one refuses management calls without {@code Authorization: Bearer } {@link #TOKEN}.
 */
final class FakeGateway extends GatewayGrpc.GatewayImplBase implements AutoCloseable {

    static final String TOKEN = "fake-gateway-token";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    final Map<String, FunctionStatus> functions = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<DeployRequest> deploys = new CopyOnWriteArrayList<>();
    final List<InvokeRequest> invokes = new CopyOnWriteArrayList<>();
    /** Every method called, by its bare name, served or not (this fake has no DeployFollow: UNIMPLEMENTED). */
    final List<String> methods = new CopyOnWriteArrayList<>();
    private final Server server;

    FakeGateway() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(this, new TokenCheck())).build().start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void deploy(DeployRequest request, StreamObserver<FunctionStatus> out) {
        calls.add("deploy " + request.getSpec().getName());
        deploys.add(request);
        FunctionStatus status = FunctionStatus.newBuilder().setSpec(request.getSpec()).setReplicas(1).build();
        if (functions.putIfAbsent(request.getSpec().getName(), status) != null) {
            out.onError(Status.ALREADY_EXISTS.withDescription("exists").asRuntimeException());
            return;
        }
        reply(out, status);
    }

    @Override
    public void update(DeployRequest request, StreamObserver<FunctionStatus> out) {
        calls.add("update " + request.getSpec().getName());
        deploys.add(request);
        FunctionStatus old = functions.get(request.getSpec().getName());
        if (old == null) {
            out.onError(Status.NOT_FOUND.withDescription("function not found").asRuntimeException());
            return;
        }
        FunctionStatus status = old.toBuilder().setSpec(request.getSpec()).build();
        functions.put(request.getSpec().getName(), status);
        reply(out, status);
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteReply> out) {
        calls.add("delete " + request.getName());
        if (functions.remove(request.getName()) == null) {
            out.onError(Status.NOT_FOUND.withDescription("function not found").asRuntimeException());
            return;
        }
        reply(out, DeleteReply.newBuilder().setName(request.getName()).build());
    }

    @Override
    public void get(GetRequest request, StreamObserver<FunctionStatus> out) {
        FunctionStatus status = functions.get(request.getName());
        if (status == null) {
            out.onError(Status.NOT_FOUND.withDescription("function not found").asRuntimeException());
            return;
        }
        reply(out, status);
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListReply> out) {
        reply(out, ListReply.newBuilder().addAllFunctions(functions.values().stream()
                .sorted((a, b) -> a.getSpec().getName().compareTo(b.getSpec().getName())).toList()).build());
    }

    @Override
    public void scale(ScaleRequest request, StreamObserver<FunctionStatus> out) {
        FunctionStatus status = functions.computeIfPresent(request.getName(),
                (k, v) -> v.toBuilder().setReplicas(request.getReplicas()).build());
        if (status == null) {
            out.onError(Status.NOT_FOUND.asRuntimeException());
            return;
        }
        reply(out, status);
    }

    @Override
    public void invoke(InvokeRequest request, StreamObserver<InvokeReply> out) {
        invokes.add(request);
        if (!functions.containsKey(request.getFunction())) {
            out.onError(Status.NOT_FOUND.withDescription("function " + request.getFunction() + " not found")
                    .asRuntimeException());
        } else if (request.getInput().toStringUtf8().equals("fail")) {
            out.onError(Status.INTERNAL.withDescription("ValueError: bad input").asRuntimeException());
        } else {
            reply(out, InvokeReply.newBuilder().setOutput(request.getInput()).build());
        }
    }

    @Override
    public void logs(LogsRequest request, StreamObserver<LogLine> out) {
        out.onNext(LogLine.newBuilder().setReplica(0).setLine("started " + request.getName()).build());
        out.onNext(LogLine.newBuilder().setReplica(1).setLine("tail=" + request.getTail()).build());
        out.onNext(LogLine.newBuilder().setReplica(2).setReplicaName("f-5d8c7-x2v9q").setLine("from a pod").build());
        out.onCompleted();
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoReply> out) {
        reply(out, InfoReply.newBuilder().setVersion("fake").setBackend("memory").build());
    }

    /** Management needs the token; Invoke and Health do not (the real gateway's rule for functions without auth). */
    private final class TokenCheck implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            String method = call.getMethodDescriptor().getBareMethodName();
            methods.add(method);
            if (!"Invoke".equals(method) && !"Health".equals(method)
                    && !("Bearer " + TOKEN).equals(headers.get(AUTHORIZATION))) {
                call.close(Status.UNAUTHENTICATED.withDescription("this call needs the gateway's token"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
