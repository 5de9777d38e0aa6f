package io.dcf.gateway.compat;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Empty;
import io.dcf.proto.compat.Function;
import io.dcf.proto.compat.FunctionRequest;
import io.dcf.proto.compat.Functions;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.GatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.Message;
import io.dcf.proto.compat.Messages;
import io.dcf.proto.compat.ScaleServiceRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import java.util.List;
import java.util.Map;

/**
 * The seed systems' gRPC services, wire-compatible (see shared/COMPAT.md):
 * {@code pb.FxGateway} (OpenFx) and {@code pb.Gateway} (DCF: the same rpcs plus the
 * bidirectional {@code Invokes}). Both are bound to one table of handlers by rpc name,
 * since an rpc of either service takes and returns the same messages.
 */
public final class CompatGrpcServices {

    private CompatGrpcServices() {
    }

    /** pb.FxGateway and pb.Gateway, served by the same invocation path and function service as dcf.v1. */
    public static List<ServerServiceDefinition> of(Invoker invoker, FunctionService functions, String version) {
        Map<String, ServerCallHandler<?, ?>> handlers =
                handlers(new CompatOperations(invoker, functions, version), requireNonNull(invoker, "invoker"));
        return List.of(bind(FxGatewayGrpc.getServiceDescriptor(), handlers),
                       bind(GatewayGrpc.getServiceDescriptor(), handlers));
    }

    private static Map<String, ServerCallHandler<?, ?>> handlers(CompatOperations ops, Invoker invoker) {
        return Map.ofEntries(
                entry("Invoke", ServerCalls.<InvokeServiceRequest, Message>asyncUnaryCall(ops::invoke)),
                entry("List", ServerCalls.<Empty, Functions>asyncUnaryCall((request, reply) -> ops.list(reply))),
                entry("Deploy", ServerCalls.<CreateFunctionRequest, Message>asyncUnaryCall(ops::deploy)),
                entry("Delete", ServerCalls.<DeleteFunctionRequest, Message>asyncUnaryCall(ops::delete)),
                entry("Update", ServerCalls.<CreateFunctionRequest, Message>asyncUnaryCall(ops::update)),
                entry("GetMeta", ServerCalls.<FunctionRequest, Function>asyncUnaryCall(ops::getMeta)),
                entry("GetLog", ServerCalls.<FunctionRequest, Message>asyncUnaryCall(ops::getLog)),
                entry("ReplicaUpdate", ServerCalls.<ScaleServiceRequest, Message>asyncUnaryCall(ops::replicaUpdate)),
                entry("Info", ServerCalls.<Empty, Message>asyncUnaryCall((request, reply) -> ops.info(reply))),
                entry("HealthCheck", ServerCalls.<Empty, Message>asyncUnaryCall(
                        (request, reply) -> ops.healthCheck(reply))),
                entry("Invokes", ServerCalls.<InvokeServiceRequest, Messages>asyncBidiStreamingCall(
                        replies -> invoker.relay(replies, InvokeServiceRequest::getService, CompatOperations::toCall,
                                reply -> Messages.newBuilder().setOutput(reply.getOutput()).build()))));
    }

    private static ServerServiceDefinition bind(ServiceDescriptor service,
                                                Map<String, ServerCallHandler<?, ?>> handlers) {
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            ServerCallHandler<?, ?> handler = handlers.get(method.getBareMethodName());
            if (handler == null) {
                throw new IllegalStateException("no handler for " + method.getFullMethodName());
            }
            builder.addMethod(definition(method, handler));
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked") // the handler was made for this rpc name, whose messages are the same in both services
    private static <Q, R> ServerMethodDefinition<Q, R> definition(MethodDescriptor<Q, R> method,
                                                                  ServerCallHandler<?, ?> handler) {
        return ServerMethodDefinition.create(method, (ServerCallHandler<Q, R>) handler);
    }
}
