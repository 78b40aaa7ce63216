package sh.chaser.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top command: the options every command takes, and the API client they share. */
@Command(name = "chaser", mixinStandardHelpOptions = true, version = "chaser 0.1.0", description = "The Chaser API from the command line: sandboxes, commands and files.%n"
        + "Reads CHASER_API_URL and CHASER_API_KEY, else the profile 'chaser login' wrote.", subcommands = {
                LoginCommand.class, SandboxCommand.class, ShellCommand.class, ExecCommand.class, UploadCommand.class,
                DownloadCommand.class, TeleportCommand.class, ForwardCommand.class, SessionsCommand.class,
                WorkspacesCommand.class, AccountCommands.Keys.class, AccountCommands.Accounts.class,
                AccountCommands.Audit.class, WebhooksCommand.class,
                McpCommand.class }, footer = "%nThe platform on this machine: ./chaser up | down | status | test (./chaser help).")
final class Chaser implements Runnable {

    final Map<String, String> env;

    @Option(names = "--account", scope = ScopeType.INHERIT, paramLabel = "ACCOUNT", description = "the account to act in: an id, a name or 'personal' (X-Chaser-Account)")
    String account;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON answer")
    boolean json;

    Chaser(Map<String, String> env) {
        this.env = env;
    }

    Api api() {
        try {
            return new Api(Profile.load(env), account);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
