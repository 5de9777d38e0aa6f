package io.dcf.gateway.openapi;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The comments of the .proto files, read from the descriptor set the proto module packages with its
 * source info ({@value #RESOURCE}, which Armeria's DocService reads too). A comment is found by the
 * element's path in its file (descriptor.proto's field numbers: message 4, nested 3, field 2, ...).
 */
final class ProtoComments {

    static final String RESOURCE = "META-INF/armeria/grpc/dcf.dsc";

    private final Map<String, Map<List<Integer>, String>> byFile;

    private ProtoComments(Map<String, Map<List<Integer>, String>> byFile) {
        this.byFile = byFile;
    }

    /** The comments of the descriptor set on the class path; none when it is missing (the doc then has no prose). */
    static ProtoComments fromClassPath() {
        try (InputStream in = ProtoComments.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? new ProtoComments(Map.of()) : of(FileDescriptorSet.parseFrom(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " (the proto module's descriptor set)", e);
        }
    }

    static ProtoComments of(FileDescriptorSet set) {
        Map<String, Map<List<Integer>, String>> byFile = new HashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            Map<List<Integer>, String> comments = new HashMap<>();
            for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
                String text = !location.getLeadingComments().isBlank() ? location.getLeadingComments()
                              : location.getTrailingComments();
                if (!text.isBlank()) {
                    comments.put(List.copyOf(location.getPathList()), clean(text));
                }
            }
            byFile.put(file.getName(), comments);
        }
        return new ProtoComments(byFile);
    }

    /** The element's comment, as one paragraph per blank-line-separated block; empty when it has none. */
    String of(GenericDescriptor element) {
        return byFile.getOrDefault(element.getFile().getName(), Map.of()).getOrDefault(path(element), "");
    }

    /** Joins a comment's lines ("// a\n// b" arrives as " a\n b\n") into sentences, keeping paragraph breaks. */
    static String clean(String comment) {
        return List.of(comment.strip().split("\\n\\s*\\n")).stream()
                .map(paragraph -> paragraph.lines().map(String::strip).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n\n"));
    }

    private static List<Integer> path(GenericDescriptor element) {
        List<Integer> path = new ArrayList<>();
        if (element instanceof Descriptor message) {
            messagePath(message, path);
        } else if (element instanceof FieldDescriptor field && !field.isExtension()) {
            messagePath(field.getContainingType(), path);
            path.addAll(List.of(2, field.getIndex()));
        } else if (element instanceof OneofDescriptor oneof) {
            messagePath(oneof.getContainingType(), path);
            path.addAll(List.of(8, oneof.getIndex()));
        } else if (element instanceof EnumDescriptor type) {
            enumPath(type, path);
        } else if (element instanceof EnumValueDescriptor value) {
            enumPath(value.getType(), path);
            path.addAll(List.of(2, value.getIndex()));
        } else if (element instanceof ServiceDescriptor service) {
            path.addAll(List.of(6, service.getIndex()));
        } else if (element instanceof MethodDescriptor method) {
            path.addAll(List.of(6, method.getService().getIndex(), 2, method.getIndex()));
        }
        return path;
    }

    private static void messagePath(Descriptor message, List<Integer> path) {
        if (message.getContainingType() == null) {
            path.addAll(List.of(4, message.getIndex()));
        } else {
            messagePath(message.getContainingType(), path);
            path.addAll(List.of(3, message.getIndex()));
        }
    }

    private static void enumPath(EnumDescriptor type, List<Integer> path) {
        if (type.getContainingType() == null) {
            path.addAll(List.of(5, type.getIndex()));
        } else {
            messagePath(type.getContainingType(), path);
            path.addAll(List.of(4, type.getIndex()));
        }
    }
}
