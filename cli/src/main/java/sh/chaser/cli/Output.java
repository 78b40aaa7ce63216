package sh.chaser.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** JSON as the API sent it, or a table of chosen fields for a person. */
final class Output {

    private Output() {}

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints {@code answer} as JSON, or as a table of {@code columns} (of its {@code data}, or of itself). */
    static void answer(Chaser chaser, picocli.CommandLine.Model.CommandSpec spec, JsonNode answer,
            List<String> columns) {
        PrintWriter out = spec.commandLine().getOut();
        if (chaser.json) {
            json(out, answer);
        } else if (answer.isObject() && answer.has("data")) {
            table(out, answer.path("data"), columns);
        } else if (answer.isArray()) {
            table(out, answer, columns);
        } else if (!answer.isNull()) {
            table(out, Api.JSON.createArrayNode().add(answer), columns);
        }
        out.flush();
    }

    /** One line for a person (what a command did), written out at once. */
    static void line(picocli.CommandLine.Model.CommandSpec spec, String text) {
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
    }

    static void table(PrintWriter out, JsonNode rows, List<String> columns) {
        int[] widths = columns.stream().mapToInt(String::length).toArray();
        for (JsonNode row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                widths[i] = Math.max(widths[i], cell(row, columns.get(i)).length());
            }
        }
        line(out, columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList(), widths);
        for (JsonNode row : rows) {
            line(out, columns.stream().map(c -> cell(row, c)).toList(), widths);
        }
    }

    private static String cell(JsonNode row, String column) {
        JsonNode v = row.path(column);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(String.format("%-" + widths[i] + "s", cells.get(i))).append(i + 1 < cells.size() ? "  " : "");
        }
        out.println(b.toString().stripTrailing());
    }
}
