package io.dcf.gateway.invoke;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.function.Blocking;
import io.dcf.gateway.function.DeployStream;
import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.model.ModelUploads;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.DeleteReply;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployEvent;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HealthReply;
import io.dcf.proto.v1.HealthRequest;
import io.dcf.proto.v1.InfoReply;
import io.dcf.proto.v1.InfoRequest;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ListReply;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.LogLine;
import io.dcf.proto.v1.LogsRequest;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.RollbackRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.dcf.proto.v1.VersionsReply;
import io.dcf.proto.v1.VersionsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;

/** dcf.v1.Gateway: invocation and management over gRPC (and REST, by transcoding). */
public final class GatewayGrpcService extends GatewayGrpc.GatewayImplBase {

    private final Invoker invoker;
    private final FunctionService functions;
    private final String version;
    private final ModelUploads models;
    private final Instant started = Instant.now();

    public GatewayGrpcService(Invoker invoker, FunctionService functions, String version, ModelUploads models) {
        this.invoker = requireNonNull(invoker, "invoker");
        this.functions = requireNonNull(functions, "functions");
        this.version = requireNonNull(version, "version");
        this.models = requireNonNull(models, "models");
    }

    @Override
    public void invoke(InvokeRequest request, StreamObserver<InvokeReply> responseObserver) {
        invoker.call(request.getFunction(), toCall(request)).whenComplete((reply, error) -> {
            if (error != null) {
                responseObserver.onError(ErrorMapping.toStatus(error).asRuntimeException());
            } else {
                responseObserver.onNext(toInvokeReply(reply));
                responseObserver.onCompleted();
            }
        });
    }

    @Override
    public StreamObserver<InvokeRequest> invokes(StreamObserver<InvokeReply> responseObserver) {
        return invoker.relay(responseObserver, InvokeRequest::getFunction,
                GatewayGrpcService::toCall, GatewayGrpcService::toInvokeReply);
    }

    @Override
    public void deploy(DeployRequest request, StreamObserver<FunctionStatus> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.deploy(request.getSpec(), request.getArtifact()));
    }

    @Override
    public void update(DeployRequest request, StreamObserver<FunctionStatus> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.update(request.getSpec(),
                request.hasArtifact() ? Optional.of(request.getArtifact()) : Optional.empty()));
    }

    @Override
    public void deployFollow(DeployFollowRequest request, StreamObserver<DeployEvent> responseObserver) {
        DeployStream.start(functions, request, responseObserver);
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteReply> responseObserver) {
        Blocking.unary(responseObserver, () -> {
            functions.delete(request.getName());
            return DeleteReply.newBuilder().setName(request.getName()).build();
        });
    }

    @Override
    public void get(GetRequest request, StreamObserver<FunctionStatus> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.get(request.getName()));
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListReply> responseObserver) {
        Blocking.unary(responseObserver, () -> ListReply.newBuilder().addAllFunctions(functions.list()).build());
    }

    @Override
    public void scale(ScaleRequest request, StreamObserver<FunctionStatus> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.scale(request.getName(), request.getReplicas()));
    }

    @Override
    public void logs(LogsRequest request, StreamObserver<LogLine> responseObserver) {
        ServerCallStreamObserver<LogLine> observer = (ServerCallStreamObserver<LogLine>) responseObserver;
        ServiceRequestContext.current().blockingTaskExecutor().execute(() -> {
            try {
                functions.logs(request.getName(), request.getTail(), request.getFollow(), (index, replica, line) -> {
                    if (observer.isCancelled()) {
                        return false;
                    }
                    observer.onNext(LogLine.newBuilder().setReplica(index).setReplicaName(replica)
                            .setLine(line).build());
                    return true;
                }, observer::isCancelled);
                if (!observer.isCancelled()) {
                    observer.onCompleted();
                }
            } catch (RuntimeException e) {
                if (!observer.isCancelled()) {
                    observer.onError(ErrorMapping.toStatus(e).asRuntimeException());
                }
            }
        });
    }

    @Override
    public StreamObserver<ModelChunk> updateModel(StreamObserver<FunctionStatus> responseObserver) {
        return models.receive(responseObserver, functions::get, functions::updateModel);
    }

    @Override
    public void versions(VersionsRequest request, StreamObserver<VersionsReply> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.versions(request.getName()));
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<FunctionStatus> responseObserver) {
        Blocking.unary(responseObserver, () -> functions.rollback(request.getName(), request.getToVersion()));
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoReply> responseObserver) {
        Blocking.unary(responseObserver, () -> InfoReply.newBuilder()
                .setVersion(version)
                .setBackend(functions.backendName())
                .setBuildService(functions.buildService())
                .setFunctions(functions.list().size())
                .setStarted(Timestamp.newBuilder().setSeconds(started.getEpochSecond()).setNanos(started.getNano()))
                .build());
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthReply> responseObserver) {
        responseObserver.onNext(HealthReply.newBuilder().setStatus("OK").build());
        responseObserver.onCompleted();
    }

    static CallRequest toCall(InvokeRequest request) {
        return CallRequest.newBuilder()
                .setFunction(request.getFunction())
                .setInput(request.getInput())
                .setContentType(request.getContentType())
                .putAllHeaders(request.getHeadersMap())
                .setPath(request.getPath())
                .build();
    }

    static InvokeReply toInvokeReply(CallReply reply) {
        return InvokeReply.newBuilder()
                .setOutput(reply.getOutput())
                .setContentType(reply.getContentType())
                .putAllHeaders(reply.getHeadersMap())
                .build();
    }
}
