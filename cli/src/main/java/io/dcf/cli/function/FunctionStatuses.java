package io.dcf.cli.function;

import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ReplicaStatus;

import java.util.ArrayList;
import java.util.List;

/** Text forms of function statuses: the seed's list table and the status words. */
final class FunctionStatuses {

    static final List<String> COLUMNS = List.of("Function", "Image", "Maintainer", "Invocations", "Replicas",
            "Status", "Description");
    private static final String GAP = "   ";

    private FunctionStatuses() {
    }

    /** {@code Ready} when a replica is ready, else {@code Not Ready}. */
    static String status(FunctionStatus s) {
        return s.getReadyReplicas() > 0 ? "Ready" : "Not Ready";
    }

    static List<String> row(FunctionStatus s) {
        String image = s.getSpec().getImage();
        return List.of(s.getSpec().getName(), image.isEmpty() ? "-" : image, s.getSpec().getMaintainer(),
                Long.toUnsignedString(s.getInvocationCount()), Integer.toString(s.getReplicas()), status(s),
                s.getSpec().getDescription());
    }

    /** The table of {@code dcf function list}: a header and one row per function, columns aligned. */
    static String table(List<FunctionStatus> functions) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(COLUMNS);
        functions.forEach(f -> rows.add(row(f)));
        return aligned(rows);
    }

    /** {@code rows} (the first is the header) with columns aligned, separated by three spaces. */
    static String aligned(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], oneLine(row.get(i)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = oneLine(row.get(i));
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * How a replica is named to a user: its name (a pod's name on Kubernetes) when the gateway gives one
     * other than the index, else its index.
     */
    static String replicaLabel(int index, String name) {
        return name.isEmpty() ? Integer.toString(index) : name;
    }

    /** {@code " (replica 0: <message>)"} for the first replica with a message, else empty. */
    static String lastMessage(FunctionStatus status) {
        for (ReplicaStatus r : status.getReplicaStatusesList()) {
            if (!r.getMessage().isEmpty()) {
                return " (replica " + replicaLabel(r.getIndex(), r.getName()) + ": " + r.getMessage() + ")";
            }
        }
        return "";
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\t', ' ');
    }
}
