package sh.chaser.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser workspaces ...}: the persistent disks and their snapshots. */
@Command(name = "workspaces", mixinStandardHelpOptions = true, description = "Workspaces: persistent disks.", subcommands = {
        WorkspacesCommand.ListWorkspaces.class, WorkspacesCommand.Create.class,
        WorkspacesCommand.Rename.class, WorkspacesCommand.Template.class, WorkspacesCommand.Delete.class,
        WorkspaceImport.class, WorkspaceSnapshots.class })
final class WorkspacesCommand {

    static final List<String> COLUMNS = List.of("id", "name", "session_type", "status", "active_session_id",
            "size_bytes", "created_at");

    @ParentCommand
    Chaser chaser;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The account's workspaces, newest first.")
    static final class ListWorkspaces implements Callable<Integer> {

        @ParentCommand
        WorkspacesCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec, parent.chaser.api().json("GET", "/v1/workspaces?limit=500", null),
                    COLUMNS);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "A new workspace.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        WorkspacesCommand parent;
        @Option(names = "--type", defaultValue = "sandbox", description = "sandbox (default) or browser")
        String type;
        @Option(names = "--name", description = "1-64 letters, digits, '-', '_', '.'; generated when omitted")
        String name;
        @Option(names = "--image", description = "sandbox only: the image its sessions boot")
        String image;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session_type", type);
            if (name != null) {
                body.put("name", name);
            }
            if (image != null) {
                body.put("image", image);
            }
            Output.answer(parent.chaser, spec, parent.chaser.api().json("POST", "/v1/workspaces", body), COLUMNS);
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Set a workspace's name.")
    static final class Rename implements Callable<Integer> {

        @ParentCommand
        WorkspacesCommand parent;
        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;
        @Parameters(index = "1", paramLabel = "NEW_NAME")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec,
                    parent.chaser.api().json("PUT", "/v1/workspaces/" + Api.q(workspace) + "/name",
                            Map.of("name", name)),
                    COLUMNS);
            return 0;
        }
    }

    @Command(name = "template", mixinStandardHelpOptions = true, description = "Mark a workspace as a template or not.")
    static final class Template implements Callable<Integer> {

        @ParentCommand
        WorkspacesCommand parent;
        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;
        @Parameters(index = "1", paramLabel = "true|false")
        boolean template;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec, parent.chaser.api().json("PUT", "/v1/workspaces/" + Api.q(workspace)
                    + "/template", Map.of("template", template)), COLUMNS);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a workspace and its disk.")
    static final class Delete implements Callable<Integer> {

        @ParentCommand
        WorkspacesCommand parent;
        @Parameters(paramLabel = "WORKSPACE")
        String workspace;
        @Option(names = "--force", description = "end its running session first")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            parent.chaser.api().json("DELETE", "/v1/workspaces/" + Api.q(workspace) + (force ? "?force=true" : ""),
                    null);
            Output.line(spec, "deleted " + workspace);
            return 0;
        }
    }
}
