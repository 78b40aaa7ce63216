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

/** {@code chaser keys|accounts|audit}: the account's keys, the caller's accounts, the audit log. */
final class AccountCommands {

    private AccountCommands() {}

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Your API keys in this account.", subcommands = {
            Keys.ListKeys.class, Keys.Create.class, Keys.Revoke.class })
    static final class Keys {

        static final List<String> COLUMNS = List.of("id", "key_prefix", "name", "scopes", "full_access", "created_at",
                "last_used_at");
        @ParentCommand
        Chaser chaser;

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Keys (never their secrets).")
        static final class ListKeys implements Callable<Integer> {

            @ParentCommand
            Keys keys;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                Output.answer(keys.chaser, spec, keys.chaser.api().json("GET", "/v1/api-keys", null), COLUMNS);
                return 0;
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "A new key; its secret is shown once.")
        static final class Create implements Callable<Integer> {

            @ParentCommand
            Keys keys;
            @Option(names = "--name")
            String name;
            @Option(names = "--scope", description = "repeat for several (e.g. sessions.read); none: full access")
            List<String> scopes;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                Map<String, Object> body = new LinkedHashMap<>();
                if (name != null) {
                    body.put("name", name);
                }
                if (scopes != null) {
                    body.put("scopes", scopes);
                }
                var key = keys.chaser.api().json("POST", "/v1/api-keys", body);
                if (keys.chaser.json) {
                    Output.json(spec.commandLine().getOut(), key);
                } else {
                    spec.commandLine().getOut().println(key.path("key").asText() + "   (id " + key.path("id").asText()
                            + "; shown once: keep it now)");
                }
                spec.commandLine().getOut().flush();
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key.")
        static final class Revoke implements Callable<Integer> {

            @ParentCommand
            Keys keys;
            @Parameters(paramLabel = "KEY_ID")
            String id;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                keys.chaser.api().json("DELETE", "/v1/api-keys/" + Api.q(id), null);
                Output.line(spec, "revoked " + id);
                return 0;
            }
        }
    }

    @Command(name = "accounts", mixinStandardHelpOptions = true, description = "Your accounts (select one with --account).")
    static final class Accounts implements Callable<Integer> {

        @ParentCommand
        Chaser chaser;
        @Option(names = "--current", description = "only the account this command acts in")
        boolean current;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Output.answer(chaser, spec, chaser.api().json("GET", current ? "/v1/accounts/current" : "/v1/accounts",
                    null), List.of("id", "name", "type", "role", "created_at"));
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "The account's audit log, newest first.")
    static final class Audit implements Callable<Integer> {

        @ParentCommand
        Chaser chaser;
        @Option(names = "--action", description = "e.g. session.create")
        String action;
        @Option(names = "--status", description = "success or failure")
        String status;
        @Option(names = "--limit", defaultValue = "50")
        int limit;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder("?limit=" + limit);
            if (action != null) {
                q.append("&action=").append(Api.q(action));
            }
            if (status != null) {
                q.append("&status=").append(Api.q(status));
            }
            Output.answer(chaser, spec, chaser.api().json("GET", "/v1/audit/events" + q, null),
                    List.of("created_at", "action", "status", "actor_type", "resource_type", "resource_id", "summary"));
            return 0;
        }
    }
}
