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

/** {@code chaser webhooks list|create|delete|deliveries}. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Signed event deliveries to your URLs.", subcommands = {
        WebhooksCommand.ListHooks.class, WebhooksCommand.Create.class, WebhooksCommand.Delete.class,
        WebhooksCommand.Deliveries.class })
final class WebhooksCommand {

    static final List<String> COLUMNS = List.of("id", "url", "events", "secret_prefix", "created_at");

    @ParentCommand
    Chaser chaser;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The account's webhooks.")
    static final class ListHooks implements Callable<Integer> {

        @ParentCommand
        WebhooksCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec, parent.chaser.api().json("GET", "/v1/webhooks", null), COLUMNS);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "A webhook; its secret is shown once.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        WebhooksCommand parent;
        @Option(names = "--url", required = true)
        String url;
        @Option(names = "--event", required = true, description = "an event type, or * for all; repeatable")
        List<String> events;
        @Option(names = "--description")
        String description;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            body.put("events", events);
            if (description != null) {
                body.put("description", description);
            }
            var hook = parent.chaser.api().json("POST", "/v1/webhooks", body);
            if (parent.chaser.json) {
                Output.json(spec.commandLine().getOut(), hook);
            } else {
                spec.commandLine().getOut()
                        .println(hook.path("id").asText() + "  secret " + hook.path("secret").asText()
                                + "   (shown once: keep it now)");
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a webhook.")
    static final class Delete implements Callable<Integer> {

        @ParentCommand
        WebhooksCommand parent;
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            parent.chaser.api().json("DELETE", "/v1/webhooks/" + Api.q(id), null);
            Output.line(spec, "deleted " + id);
            return 0;
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true, description = "A webhook's deliveries.")
    static final class Deliveries implements Callable<Integer> {

        @ParentCommand
        WebhooksCommand parent;
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(parent.chaser, spec, parent.chaser.api().json("GET", "/v1/webhooks/" + Api.q(id)
                    + "/deliveries", null), List.of("id", "event_type", "status", "attempt_count", "created_at"));
            return 0;
        }
    }
}
