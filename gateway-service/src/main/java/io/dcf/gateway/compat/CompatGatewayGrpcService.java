package io.dcf.gateway.compat;

import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Empty;
import io.dcf.proto.compat.Function;
import io.dcf.proto.compat.FunctionRequest;
import io.dcf.proto.compat.Functions;
import io.dcf.proto.compat.GatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.Message;
import io.dcf.proto.compat.Messages;
import io.dcf.proto.compat.ScaleServiceRequest;
import io.grpc.stub.StreamObserver;

/** pb.Gateway, DCF's gateway service, wire-compatible (see shared/COMPAT.md). */
public final class CompatGatewayGrpcService extends GatewayGrpc.GatewayImplBase {

    private final CompatOperations ops;
    private final Invoker invoker;

    public CompatGatewayGrpcService(Invoker invoker, FunctionService functions, String version) {
        this.ops = new CompatOperations(invoker, functions, version);
        this.invoker = invoker;
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

    @Override
    public StreamObserver<InvokeServiceRequest> invokes(StreamObserver<Messages> responseObserver) {
        return invoker.relay(responseObserver, InvokeServiceRequest::getService, CompatOperations::toCall,
                reply -> Messages.newBuilder().setOutput(reply.getOutput()).build());
    }
}
