package io.dcf.cli.function;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** {@code -o table|json|yaml}. JSON is protobuf's JSON mapping; YAML is the same tree. */
enum OutputFormat {
    table, json, yaml;

    static String json(MessageOrBuilder message) {
        try {
            return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(message) + "\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static String yaml(MessageOrBuilder message) {
        Object tree = new Yaml().load(json(message));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        return new Yaml(options).dump(tree);
    }
}
