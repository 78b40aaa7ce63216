package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser workspaces import owner/repo}: starts the import and follows it until ready or failed. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "A workspace cloned from a Git repository; waits (at most --wait seconds) until it is ready.")
final class WorkspaceImport implements Callable<Integer> {

    @ParentCommand
    WorkspacesCommand parent;
    @Parameters(paramLabel = "OWNER/REPO")
    String repository;
    @Option(names = "--name")
    String name;
    @Option(names = "--ref", description = "a branch, tag or commit")
    String ref;
    @Option(names = "--wait", defaultValue = "600", description = "seconds to follow the import (0: do not wait)")
    int waitSeconds;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("github_repo", repository);
        if (name != null) {
            body.put("name", name);
        }
        if (ref != null) {
            body.put("ref", ref);
        }
        Api api = parent.chaser.api();
        JsonNode workspace = api.json("POST", "/v1/workspaces/import", body);
        String id = workspace.path("id").asText();
        boolean shown = Progress.onTerminal(parent.chaser.json);
        long started = System.nanoTime();
        long deadline = started + waitSeconds * 1_000_000_000L;
        while ("importing".equals(workspace.path("status").asText()) && System.nanoTime() < deadline) {
            if (shown) {
                System.err.printf("\rimporting %s ... %d s", repository,
                        (System.nanoTime() - started) / 1_000_000_000L);
            }
            Thread.sleep(1000);
            workspace = api.json("GET", "/v1/workspaces/" + Api.q(id), null);
        }
        if (shown) {
            System.err.println();
        }
        Output.answer(parent.chaser, spec, workspace, WorkspacesCommand.COLUMNS);
        String status = workspace.path("status").asText();
        if ("failed".equals(status)) {
            spec.commandLine().getErr().println("chaser: the import failed: "
                    + workspace.path("failure_reason").asText() + " (" + workspace.path("failure_code").asText() + ")");
            return 1;
        }
        return 0;
    }
}
