package sh.chaser.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/** A progress line on the terminal ({@code \r}-redrawn, at most 10 times a second); silent when not on one. */
final class Progress {

    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean shown;
    private long done;
    private long drawnAt;

    Progress(String label, long total, boolean shown) {
        this.err = System.err;
        this.label = label;
        this.total = total;
        this.shown = shown;
    }

    /** Shown when stderr is a terminal and no --json was asked. */
    static boolean onTerminal(boolean json) {
        return !json && System.console() != null;
    }

    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {

            @Override
            public int read() throws IOException {
                int b = super.read();
                advance(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                advance(Math.max(n, 0));
                return n;
            }
        };
    }

    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (shown && now - drawnAt > 100_000_000L) {
            drawnAt = now;
            draw();
        }
    }

    void finish() {
        if (shown) {
            draw();
            err.println();
        }
    }

    private void draw() {
        String size = String.format("%.1f MiB", done / 1048576.0);
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            int bar = percent / 5;
            err.print("\r" + label + " [" + "#".repeat(bar) + " ".repeat(20 - bar) + "] " + percent + "% " + size
                    + String.format(" of %.1f MiB", total / 1048576.0));
        } else {
            err.print("\r" + label + " " + size);
        }
        err.flush();
    }
}
