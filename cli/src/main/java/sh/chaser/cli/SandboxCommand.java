package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser sandbox}: boots (or reuses) a sandbox session and prints its id. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Boot a sandbox: on a workspace (its running session is reused) or, by default, ephemeral.")
final class SandboxCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Mixin
    Target target;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (target.session != null) {
            throw new ApiError("invalid_request", "sandbox boots one; --session names one that runs already");
        }
        JsonNode session = chaser.api().json("POST", "/v1/sessions", target.createBody());
        PrintWriter out = spec.commandLine().getOut();
        if (chaser.json) {
            Output.json(out, session);
        } else {
            out.println(session.path("id").asText());
        }
        out.flush();
        return 0;
    }
}
