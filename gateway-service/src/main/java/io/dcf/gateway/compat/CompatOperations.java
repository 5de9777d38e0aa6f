package io.dcf.gateway.compat;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.function.Blocking;
import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Function;
import io.dcf.proto.compat.FunctionRequest;
import io.dcf.proto.compat.Functions;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.Message;
import io.dcf.proto.compat.ScaleServiceRequest;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ScaleSpec;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rpcs pb.FxGateway (OpenFx) and pb.Gateway (DCF) share, on top of the same
 * invocation path and function service as dcf.v1. See shared/COMPAT.md.
 */
final class CompatOperations {

    private static final int LOG_TAIL = 200;

    private final Invoker invoker;
    private final FunctionService functions;
    private final String version;

    CompatOperations(Invoker invoker, FunctionService functions, String version) {
        this.invoker = requireNonNull(invoker, "invoker");
        this.functions = requireNonNull(functions, "functions");
        this.version = requireNonNull(version, "version");
    }

    void invoke(InvokeServiceRequest request, StreamObserver<Message> observer) {
        invoker.call(request.getService(), toCall(request)).whenComplete((reply, error) -> {
            if (error != null) {
                observer.onError(ErrorMapping.toStatus(error).asRuntimeException());
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(reply.getOutput().toByteArray())).toString();
            } catch (CharacterCodingException e) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription("function " + request.getService()
                        + " returned " + reply.getOutput().size() + " bytes that are not valid UTF-8, which"
                        + " pb.Message.Msg (a string) cannot carry; call dcf.v1.Gateway/Invoke or the"
                        + " Invokes stream for binary output").asRuntimeException());
                return;
            }
            observer.onNext(Message.newBuilder().setMsg(text).build());
            observer.onCompleted();
        });
    }

    static CallRequest toCall(InvokeServiceRequest request) {
        return CallRequest.newBuilder().setFunction(request.getService()).setInput(request.getInput()).build();
    }

    void list(StreamObserver<Functions> observer) {
        Blocking.unary(observer, () -> {
            Functions.Builder all = Functions.newBuilder();
            functions.list().forEach(status -> all.addFunctions(toFunction(status)));
            return all.build();
        });
    }

    /** Deploys from the image alone (the seed CLIs send no code); a backend that cannot run images says so. */
    void deploy(CreateFunctionRequest request, StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> {
            FunctionSpec.Builder spec = FunctionSpec.newBuilder()
                    .setName(request.getService())
                    .setImage(request.getImage())
                    .putAllEnvironment(request.getEnvVarsMap())
                    .putAllLabels(request.getLabelsMap())
                    .putAllAnnotations(request.getAnnotationsMap())
                    .addAllConstraints(request.getConstraintsList())
                    .addAllSecrets(request.getSecretsList())
                    .setReplicas(Math.max(0, request.getMinReplicas()));
            if (request.getMinReplicas() > 0 || request.getMaxReplicas() > 0) { // 0 is unset in these messages
                ScaleSpec.Builder scale = ScaleSpec.newBuilder().setMin(Math.max(0, request.getMinReplicas()));
                if (request.getMaxReplicas() > 0) {
                    scale.setMax(request.getMaxReplicas());
                }
                spec.setScale(scale);
            }
            withResources(spec, request);
            functions.deploy(spec.build(), Artifact.getDefaultInstance());
            return message("function " + request.getService() + " deployed");
        });
    }

    void update(CreateFunctionRequest request, StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> {
            FunctionSpec current = functions.get(request.getService()).getSpec();
            FunctionSpec.Builder spec = current.toBuilder()
                    .clearEnvironment().putAllEnvironment(request.getEnvVarsMap())
                    .clearLabels().putAllLabels(request.getLabelsMap())
                    .clearAnnotations().putAllAnnotations(request.getAnnotationsMap())
                    .clearConstraints().addAllConstraints(request.getConstraintsList())
                    .clearSecrets().addAllSecrets(request.getSecretsList());
            if (!request.getImage().isEmpty()) {
                spec.setImage(request.getImage());
            }
            withResources(spec, request);
            functions.update(spec.build(), Optional.empty());
            return message("function " + request.getService() + " updated");
        });
    }

    void delete(DeleteFunctionRequest request, StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> {
            functions.delete(request.getFunctionName());
            return message("function " + request.getFunctionName() + " deleted");
        });
    }

    void getMeta(FunctionRequest request, StreamObserver<Function> observer) {
        Blocking.unary(observer, () -> toFunction(functions.get(request.getFunctionName())));
    }

    void getLog(FunctionRequest request, StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> {
            StringBuilder text = new StringBuilder();
            functions.logs(request.getFunctionName(), LOG_TAIL, false, (index, replica, line) -> {
                text.append(line).append('\n');
                return true;
            }, () -> false);
            return message(text.toString());
        });
    }

    void replicaUpdate(ScaleServiceRequest request, StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> {
            long replicas = request.getReplicas();
            if (replicas > Integer.MAX_VALUE) {
                throw new DcfException(Status.Code.INVALID_ARGUMENT, "Replicas: " + replicas + " (expected: <= "
                        + Integer.MAX_VALUE + ")");
            }
            functions.scale(request.getServiceName(), (int) replicas);
            return message("function " + request.getServiceName() + " scaled to " + replicas);
        });
    }

    void info(StreamObserver<Message> observer) {
        Blocking.unary(observer, () -> message("DCF for Java gateway " + version + ", backend "
                + functions.backendName() + ", " + functions.list().size() + " functions"));
    }

    void healthCheck(StreamObserver<Message> observer) {
        observer.onNext(message("OK"));
        observer.onCompleted();
    }

    private static Message message(String text) {
        return Message.newBuilder().setMsg(text).build();
    }

    /** The request's limits and requests, where it sets them, onto {@code spec}. */
    private static void withResources(FunctionSpec.Builder spec, CreateFunctionRequest request) {
        if (request.hasLimits()) {
            spec.setLimits(toResources(request.getLimits()));
        }
        if (request.hasRequests()) {
            spec.setRequests(toResources(request.getRequests()));
        }
    }

    private static io.dcf.proto.v1.Resources toResources(io.dcf.proto.compat.FunctionResources r) {
        return io.dcf.proto.v1.Resources.newBuilder().setCpu(r.getCPU()).setMemory(r.getMemory()).setGpu(r.getGPU()).build();
    }

    static Function toFunction(FunctionStatus status) {
        FunctionSpec spec = status.getSpec();
        return Function.newBuilder()
                .setName(spec.getName())
                .setImage(spec.getImage())
                .setInvocationCount(status.getInvocationCount())
                .setReplicas(status.getReplicas())
                .setAvailableReplicas(status.getReadyReplicas())
                .putAllAnnotations(spec.getAnnotationsMap())
                .putAllLabels(spec.getLabelsMap())
                .build();
    }
}
