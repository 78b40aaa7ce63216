package sh.chaser.bench;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk for one case and reads p50, p99 and requests per second from its --latency report. */
final class Wrk {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");

    private Wrk() {}

    static GatewayOverhead.Result run(String name, String baseUrl, String token, int connections, int warmup,
            int seconds) throws IOException, InterruptedException {
        System.out.printf("  %s, %d connection(s), wrk...%n", name, connections);
        String url = baseUrl + "/v1/accounts/current";
        exec(connections, warmup, token, url);
        String report = exec(connections, seconds, token, url);
        double p50 = 0;
        double p99 = 0;
        double rps = 0;
        int errors = 0;
        for (String line : report.split("\n")) {
            Matcher m = PERCENTILE.matcher(line);
            if (m.matches()) {
                double ms = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                    case "us" -> 0.001;
                    case "s" -> 1000.0;
                    default -> 1.0;
                };
                if (m.group(1).equals("50")) {
                    p50 = ms;
                } else {
                    p99 = ms;
                }
            }
            Matcher r = RATE.matcher(line);
            if (r.find()) {
                rps = Double.parseDouble(r.group(1));
            }
            Matcher e = NON_2XX.matcher(line);
            if (e.find()) {
                errors = Integer.parseInt(e.group(1));
            }
        }
        return new GatewayOverhead.Result(name, connections, p50, p99, rps, errors);
    }

    private static String exec(int connections, int seconds, String token, String url)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections,
                "-d" + Math.max(1, seconds) + "s", "--latency", "-H", "Authorization: Bearer " + token, url))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        return out;
    }
}
