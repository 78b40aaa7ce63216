package sh.chaser.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The controlling terminal through {@code stty} on {@code /dev/tty}: its size, raw mode and restoring it. */
final class Tty {

    private static final File TTY = new File("/dev/tty");
    private String saved;

    /** True when this process has a terminal to put in raw mode. */
    static boolean present() {
        return System.console() != null && TTY.exists();
    }

    /** {@code {rows, cols}}, or null when there is no terminal. */
    static int[] size() {
        try {
            String[] parts = stty("size").trim().split("\\s+");
            return new int[]{ Integer.parseInt(parts[0]), Integer.parseInt(parts[1]) };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Keys go to the remote shell as typed (no echo, no line editing, Ctrl-C as a byte); undone by {@link #restore}. */
    void raw() throws IOException {
        saved = stty("-g").trim();
        stty("raw", "-echo");
    }

    void restore() {
        if (saved != null) {
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("chaser: could not restore the terminal; run 'stty sane'");
            }
            saved = null;
        }
    }

    private static String stty(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectInput(TTY).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
