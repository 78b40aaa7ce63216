package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser sessions list|get|terminate}. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "List, show and terminate sessions.", subcommands = {
        SessionsCommand.ListSessions.class, SessionsCommand.GetSession.class, SessionsCommand.TerminateSession.class })
final class SessionsCommand {

    @ParentCommand
    Chaser chaser;

    static final List<String> COLUMNS = List.of("id", "session_type", "status", "workspace_id",
            "runtime", "created_at");

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The account's sessions, newest first.")
    static final class ListSessions implements Callable<Integer> {

        @ParentCommand
        SessionsCommand parent;
        @Option(names = "--status", description = "creating, running or terminated")
        String status;
        @Option(names = "--type", description = "sandbox or browser")
        String type;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("?limit=500");
            if (status != null) {
                query.append("&status=").append(Api.q(status));
            }
            if (type != null) {
                query.append("&session_type=").append(Api.q(type));
            }
            Output.answer(parent.chaser, spec, parent.chaser.api().json("GET", "/v1/sessions" + query, null), COLUMNS);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One session.")
    static final class GetSession implements Callable<Integer> {

        @ParentCommand
        SessionsCommand parent;
        @Parameters(paramLabel = "SESSION")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec, parent.chaser.api().json("GET", "/v1/sessions/" + Api.q(id), null),
                    COLUMNS);
            return 0;
        }
    }

    @Command(name = "terminate", mixinStandardHelpOptions = true, description = "End a session.")
    static final class TerminateSession implements Callable<Integer> {

        @ParentCommand
        SessionsCommand parent;
        @Parameters(paramLabel = "SESSION")
        String id;
        @Option(names = "--force", description = "also when connections are open")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode s = parent.chaser.api().json("DELETE", "/v1/sessions/" + Api.q(id) + (force ? "?force=true" : ""),
                    null);
            PrintWriter out = spec.commandLine().getOut();
            if (parent.chaser.json) {
                Output.json(out, s);
            } else {
                out.println(s.path("id").asText() + " " + s.path("status").asText());
            }
            out.flush();
            return 0;
        }
    }
}
