package io.dcf.gateway.backend.kubernetes;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.JSON;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Function specs written as a function's entry in config.yaml ({@code desc} for the description). */
final class TestSpecs {

    private TestSpecs() {
    }

    /** A spec from config.yaml-like YAML; the fields are FunctionSpec's (snake_case), plus {@code desc}. */
    static FunctionSpec spec(String yaml) {
        Map<String, Object> map = new LinkedHashMap<>(new Yaml().<Map<String, Object>>load(yaml));
        Object desc = map.remove("desc");
        if (desc != null) {
            map.put("description", desc);
        }
        FunctionSpec.Builder b = FunctionSpec.newBuilder();
        try {
            JsonFormat.parser().merge(JSON.getGson().toJson(map), b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a FunctionSpec: " + yaml, e);
        }
        return b.build();
    }
}
