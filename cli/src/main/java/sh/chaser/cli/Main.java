package sh.chaser.cli;

import picocli.CommandLine;

/** {@code chaser <command>}: the client commands of the {@code ./chaser} script (the platform's own stay in the launcher). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    static CommandLine commandLine(java.util.Map<String, String> env) {
        CommandLine cli = new CommandLine(new Chaser(env));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof ApiError refused) {
                commandLine.getErr().println("chaser: " + refused.getMessage() + " (" + refused.code() + ")");
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
