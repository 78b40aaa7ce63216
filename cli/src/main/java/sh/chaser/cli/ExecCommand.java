package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser exec}: one command in a sandbox; its output, and its exit code as ours. */
@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command in a sandbox and exit with its exit code.%n"
        + "  chaser exec -s <session> -- ls -la%n  chaser exec -w my-project -- make test%n"
        + "  chaser exec -- uname -a        (an ephemeral sandbox, gone afterwards)")
final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Mixin
    Target target;
    @Option(names = "--cwd", description = "working directory")
    String cwd;
    @Option(names = "--timeout-ms", description = "kill the command after this long")
    Integer timeoutMs;
    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the command (one shell line when quoted)")
    List<String> command;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", String.join(" ", command));
        if (cwd != null) {
            body.put("cwd", cwd);
        }
        if (timeoutMs != null) {
            body.put("timeout_ms", timeoutMs);
        }
        JsonNode result;
        if (target.session != null) {
            result = chaser.api().json("POST", "/v1/sessions/" + Api.q(target.session) + "/exec", body);
        } else {
            Map<String, Object> where = target.createBody();
            where.remove("session_type");
            body.putAll(where);
            result = chaser.api().json("POST", "/v1/exec", body);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (chaser.json) {
            Output.json(out, result);
        } else {
            out.print(result.path("output").asText());
            if (result.path("output_truncated").asBoolean()) {
                spec.commandLine().getErr().println("chaser: output truncated at 1 MiB");
            }
            if (result.path("timed_out").asBoolean()) {
                spec.commandLine().getErr().println("chaser: the command timed out");
            }
        }
        out.flush();
        return result.path("exit_code").isNumber() ? result.path("exit_code").asInt() : 1;
    }
}
