package sh.chaser.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chaser workspaces snapshots create|list|restore|delete}. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "A workspace's restore points.", subcommands = {
        WorkspaceSnapshots.ListSnapshots.class, WorkspaceSnapshots.Create.class,
        WorkspaceSnapshots.Restore.class, WorkspaceSnapshots.Delete.class })
final class WorkspaceSnapshots {

    static final List<String> COLUMNS = List.of("id", "name", "workspace_id", "size_bytes", "created_at");

    @ParentCommand
    WorkspacesCommand parent;

    String base(String workspace) {
        return "/v1/workspaces/" + Api.q(workspace) + "/snapshots";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "A workspace's snapshots.")
    static final class ListSnapshots implements Callable<Integer> {

        @ParentCommand
        WorkspaceSnapshots snapshots;
        @Parameters(paramLabel = "WORKSPACE")
        String workspace;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Chaser chaser = snapshots.parent.chaser;
            Output.answer(chaser, spec, chaser.api().json("GET", snapshots.base(workspace), null), COLUMNS);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Take a snapshot.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        WorkspaceSnapshots snapshots;
        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;
        @Parameters(index = "1", paramLabel = "NAME")
        String name;
        @Option(names = "--force", description = "end a running session first")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Chaser chaser = snapshots.parent.chaser;
            Output.answer(chaser, spec, chaser.api().json("POST", snapshots.base(workspace),
                    Map.of("name", name, "force", force)), COLUMNS);
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore the disk to a snapshot.")
    static final class Restore implements Callable<Integer> {

        @ParentCommand
        WorkspaceSnapshots snapshots;
        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;
        @Parameters(index = "1", paramLabel = "NAME")
        String name;
        @Option(names = "--force", description = "end a running session first")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Chaser chaser = snapshots.parent.chaser;
            Output.answer(chaser, spec, chaser.api().json("POST", snapshots.base(workspace) + "/"
                    + Api.q(name) + "/restore", Map.of("force", force)), WorkspacesCommand.COLUMNS);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a snapshot.")
    static final class Delete implements Callable<Integer> {

        @ParentCommand
        WorkspaceSnapshots snapshots;
        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;
        @Parameters(index = "1", paramLabel = "NAME")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            snapshots.parent.chaser.api().json("DELETE", snapshots.base(workspace) + "/" + Api.q(name), null);
            Output.line(spec, "deleted snapshot " + name + " of " + workspace);
            return 0;
        }
    }
}
