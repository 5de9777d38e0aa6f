package io.dcf.gateway.compat;

import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Empty;
import io.dcf.proto.compat.Function;
import io.dcf.proto.compat.FunctionRequest;
import io.dcf.proto.compat.Functions;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.Message;
import io.dcf.proto.compat.ScaleServiceRequest;
import io.grpc.stub.StreamObserver;

/** pb.FxGateway, OpenFx's gateway service, wire-compatible (see shared/COMPAT.md). */
public final class FxGatewayGrpcService extends FxGatewayGrpc.FxGatewayImplBase {

    private final CompatOperations ops;

    public FxGatewayGrpcService(Invoker invoker, FunctionService functions, String version) {
        this.ops = new CompatOperations(invoker, functions, version);
    }

    @Override
    public void invoke(InvokeServiceRequest request, StreamObserver<Message> responseObserver) {
        ops.invoke(request, responseObserver);
    }

    @Override
    public void list(Empty request, StreamObserver<Functions> responseObserver) {
        ops.list(responseObserver);
    }

    @Override
    public void deploy(CreateFunctionRequest request, StreamObserver<Message> responseObserver) {
        ops.deploy(request, responseObserver);
    }

    @Override
    public void delete(DeleteFunctionRequest request, StreamObserver<Message> responseObserver) {
        ops.delete(request, responseObserver);
    }

    @Override
    public void update(CreateFunctionRequest request, StreamObserver<Message> responseObserver) {
        ops.update(request, responseObserver);
    }

    @Override
    public void getMeta(FunctionRequest request, StreamObserver<Function> responseObserver) {
        ops.getMeta(request, responseObserver);
    }

    @Override
    public void getLog(FunctionRequest request, StreamObserver<Message> responseObserver) {
        ops.getLog(request, responseObserver);
    }

    @Override
    public void replicaUpdate(ScaleServiceRequest request, StreamObserver<Message> responseObserver) {
        ops.replicaUpdate(request, responseObserver);
    }

    @Override
    public void info(Empty request, StreamObserver<Message> responseObserver) {
        ops.info(responseObserver);
    }

    @Override
    public void healthCheck(Empty request, StreamObserver<Message> responseObserver) {
        ops.healthCheck(responseObserver);
    }
}
