package sh.chaser.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Every user-facing session and workspace operation through the gateway, each beside its floor: the
 * vm-agent (or disk-store) call it wraps, timed in the same run, alternately, on the same machine.
 * Prints p50/p99 of both and the difference, one row per operation.
 */
public final class ApiLatency {

    private static final String HELP = """
            Usage: bench/api-latency [--runs N] [--concurrency C] [--size-mib M] [--warmup N] [--only a,b]

            Needs root (it fills workspace disks through the agent's data directory and calls the
            vm-agent as the services do) and a platform started so that the run is neither throttled nor
            disturbed: room for the sandboxes in flight, and session-service's reconcile loop slowed, as
            the floor's sandboxes have no session and the loop would destroy them mid-measurement:
              ./chaser down; CHASER_SESSION_RECONCILE_INTERVAL=1h CHASER_AGENT_SANDBOXES_MAX=64 \
                CHASER_RATE_LIMIT_PRINCIPAL_PER_MINUTE=100000000 CHASER_RATE_LIMIT_ACCOUNT_PER_MINUTE=100000000 \
                ./chaser up
            --runs N         samples per operation and side (default 20)
            --concurrency C  creates in flight, and sessions in the bulk terminate (default 20)
            --size-mib M     how much each workspace holds for snapshot, restore and clone (default 1024)
            --warmup N       unmeasured sessions and workspaces per side first (default 5)
            --only a,b       only these groups: sessions, exec, concurrent, workspaces (default all)
            Prints, per operation, p50/p99 through the gateway, p50/p99 of its floor, and the difference
            of the p50s; the aim is every difference under 30 ms, and create with churn (each after the
            previous session's terminate) within 1.5x of create without.
            """;

    /** One operation's samples through the gateway and of its floor. */
    record Row(String operation, String floor, double[] api, double[] direct) {}

    /** The rows measured so far; each printed as it comes, so a long run shows its progress. */
    static final class Rows extends ArrayList<Row> {

        @Override
        public boolean add(Row r) {
            System.out.printf("  %s: %.1f ms p50 (floor %s %.1f ms)%n", r.operation(),
                    LocalInstall.percentile(r.api(), 50), r.floor(), LocalInstall.percentile(r.direct(), 50));
            return super.add(r);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 20);
        int concurrency = LocalInstall.option(a, "--concurrency", 20);
        int sizeMib = LocalInstall.option(a, "--size-mib", 1024);
        int warmup = LocalInstall.option(a, "--warmup", 5);
        String only = a.contains("--only") ? a.get(a.indexOf("--only") + 1) : "sessions,exec,concurrent,workspaces";
        LocalInstall local = LocalInstall.read();
        List<Row> rows = new Rows();
        try (ApiCalls api = new ApiCalls(local); AgentCalls agent = new AgentCalls(local)) {
            System.out.printf("gateway %s, vm-agent 127.0.0.1:%d; %d samples per operation%n", local.apiUrl(),
                    local.agentPort(), runs);
            if (only.contains("sessions")) {
                sessions(api, agent, runs, warmup, rows);
            }
            if (only.contains("exec")) {
                rows.add(alternate("POST /v1/exec (ephemeral)", "Boot + Exec + Destroy", runs, warmup,
                        api::ephemeralExec, agent::ephemeralExec));
            }
            if (only.contains("concurrent")) {
                concurrent(local, api, agent, concurrency, rows);
            }
            if (only.contains("workspaces")) {
                new WorkspaceLatency(local, api, agent, sizeMib).measure(runs, warmup, rows);
            }
        }
        print(rows);
    }

    /** Create with churn (terminate before the next), terminate, then create without churn. */
    private static void sessions(ApiCalls api, AgentCalls agent, int runs, int warmup, List<Row> rows)
            throws Exception {
        double[][] gw = new double[2][runs];
        double[][] ag = new double[2][runs];
        for (int i = -warmup; i < runs; i++) {
            double[] g = api.createThenTerminate();
            double[] d = agent.bootThenDestroy();
            if (i >= 0) {
                gw[0][i] = g[0];
                gw[1][i] = g[1];
                ag[0][i] = d[0];
                ag[1][i] = d[1];
            }
        }
        rows.add(new Row("create, each after a terminate", "Boot", gw[0], ag[0]));
        rows.add(new Row("DELETE /v1/sessions/{id}", "Destroy", gw[1], ag[1]));
        // at most 10 alive at once: an account may run 20 sessions by default
        int row = Math.min(runs, 10);
        double[] g = new double[row];
        double[] d = new double[row];
        List<String> made = new ArrayList<>();
        List<String> booted = new ArrayList<>();
        try {
            for (int i = 0; i < row; i++) {
                g[i] = LocalInstall.time(() -> made.add(api.create()));
                d[i] = LocalInstall.time(() -> booted.add(agent.boot()));
            }
        } finally {
            for (String id : made) {
                api.terminate(id);
            }
            for (String id : booted) {
                agent.destroy(id);
            }
        }
        rows.add(new Row("create, " + row + " in a row", "Boot", g, d));
    }

    /** C creates at once through the gateway, then C boots at once; then one bulk terminate of the C. */
    private static void concurrent(LocalInstall local, ApiCalls api, AgentCalls agent, int c, List<Row> rows)
            throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> vms = java.util.Collections.synchronizedList(new ArrayList<>());
        double[] g = inParallel(c, () -> {
            try (ApiCalls own = new ApiCalls(local)) {
                return LocalInstall.time(() -> ids.add(own.create()));
            }
        });
        double[] d = inParallel(c, () -> LocalInstall.time(() -> vms.add(agent.boot())));
        rows.add(new Row("create, " + c + " in flight", "Boot, " + c + " in flight", g, d));
        // each starts once the agent has released what ran before it (the boots' churn, the bulk's sandboxes)
        local.awaitAgentQuiet();
        double bulk = LocalInstall.time(() -> api.bulkTerminate(ids));
        local.awaitAgentQuiet();
        double destroys = LocalInstall.time(() -> inParallel(c, () -> {
            agent.destroy(vms.remove(0));
            return 0.0;
        }));
        rows.add(new Row("bulk-terminate of " + c, c + " Destroy in parallel", new double[]{ bulk },
                new double[]{ destroys }));
    }

    interface Sample {

        double take() throws Exception;
    }

    /** Both sides, one call each in turn, so both meet the same machine. */
    static Row alternate(String operation, String floor, int runs, int warmup, Sample viaApi, Sample direct)
            throws Exception {
        double[] g = new double[runs];
        double[] d = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            double gi = viaApi.take();
            double di = direct.take();
            if (i >= 0) {
                g[i] = gi;
                d[i] = di;
            }
        }
        return new Row(operation, floor, g, d);
    }

    private static double[] inParallel(int n, Sample one) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(one::take));
            }
            double[] millis = new double[n];
            for (int i = 0; i < n; i++) {
                millis[i] = futures.get(i).get(300, TimeUnit.SECONDS);
            }
            return millis;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void print(List<Row> rows) {
        System.out.printf("%n| operation | gateway p50 / p99 | floor | floor p50 / p99 | p50 difference |%n");
        System.out.printf("|---|---|---|---|---|%n");
        Map<String, Double> p50 = new java.util.HashMap<>();
        for (Row r : rows) {
            double gp = LocalInstall.percentile(r.api(), 50);
            double dp = LocalInstall.percentile(r.direct(), 50);
            p50.put(r.operation(), gp);
            System.out.printf("| %s | %.1f / %.1f ms | %s | %.1f / %.1f ms | %+.1f ms |%n", r.operation(), gp,
                    LocalInstall.percentile(r.api(), 99), r.floor(), dp, LocalInstall.percentile(r.direct(), 99),
                    gp - dp);
        }
        Double churn = p50.get("create, each after a terminate");
        String row = p50.keySet().stream().filter(k -> k.matches("create, \\d+ in a row")).findFirst().orElse(null);
        if (churn != null && row != null) {
            System.out.printf("%ncreate with churn / without: %.2fx (aim at most 1.5x)%n", churn / p50.get(row));
        }
    }
}
