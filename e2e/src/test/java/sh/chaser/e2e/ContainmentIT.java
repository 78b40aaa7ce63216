package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.testhost.NeighbourHost;

/**
 * A tenant attacking the platform through the gateway, with curl: each attack must fail, next to a
 * positive control that shows the probe would have seen the hole. S1 belongs to the administrator,
 * S2 to another account and holds a secret.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainmentIT {

    private static final String SECRET = "s2-secret-" + java.util.UUID.randomUUID();
    /** The shared platform's CHASER_AGENT_NETWORK_ALLOW_CIDRS: a private network sandboxes may reach anyway. */
    static final String ALLOWED_NETWORK = "192.168.252";
    /** Exit status of `timeout` when it had to stop the probe: a dropped (not refused) connection. */
    private static final int TIMED_OUT = 124;
    private Api api;
    private Sessions mine;
    private Sessions theirs;
    private Shell shell;
    private String s1;
    private String s2;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        String key = SharedPlatform.credentials().get("CHASER_API_KEY");
        String otherKey = Accounts.organizationKey(api, SharedPlatform.credentials());
        mine = new Sessions(api, key);
        theirs = new Sessions(api, otherKey);
        s1 = mine.ephemeralSandbox().get("id").asText();
        s2 = theirs.ephemeralSandbox().get("id").asText();
        assertEquals(200, theirs.exec(s2, "echo " + SECRET + " > /workspace/secret.txt").status());
        Map<String, String> env = new HashMap<>(SharedPlatform.credentials());
        env.put("OTHER_KEY", otherKey);
        env.put("S1", s1);
        env.put("S2", s2);
        env.put("AGENT", "https://127.0.0.1:" + platform.agentPort());
        // the gateway's certificate: what these attacks lack is its per-request session token
        env.put("AS_GATEWAY", platform.curlAs(InternalCallers.GATEWAY));
        shell = new Shell(env);
    }

    @AfterAll
    void down() throws Exception {
        if (s1 != null) {
            mine.terminate(s1, true);
        }
        if (s2 != null) {
            theirs.terminate(s2, true);
        }
    }

    /** The HTTP status and body of a curl call (its path sent as written). */
    private String[] curl(String args) throws Exception {
        String out = shell.run("curl -sS --path-as-is -o /tmp/containment-body -w '%{http_code}' " + args
                + "; echo; cat /tmp/containment-body");
        int newline = out.indexOf('\n');
        return new String[]{ out.substring(0, newline), out.substring(newline + 1) };
    }

    @Test
    void dotSegmentsCannotTurnOneSessionsRouteIntoAnothers() throws Exception {
        String auth = "-H \"Authorization: Bearer $CHASER_API_KEY\" ";
        List<String> tricks = List.of("/forward/1/../../../$S2/download?path=secret.txt",
                "/forward/1/%2e%2e/%2e%2e/%2e%2e/$S2/download?path=secret.txt",
                "/forward/1/%2E%2E/%2E%2E/%2E%2E/$S2/download?path=secret.txt",
                "/forward/1/..%2f..%2f..%2f$S2/download?path=secret.txt",
                "/forward/1/%252e%252e/%252e%252e/%252e%252e/$S2/download?path=secret.txt",
                "/./download?path=secret.txt");
        for (String trick : tricks) {
            for (String base : List.of("$CHASER_API_URL/s/$S1", "$CHASER_API_URL/v1/sessions/$S1")) {
                String[] answer = curl(auth + "\"" + base + trick + "\"");
                assertEquals("400", answer[0], trick + " -> " + answer[1]);
                assertTrue(answer[1].contains("\"invalid_request\"") && !answer[1].contains(SECRET), answer[1]);
            }
        }
        for (String route : List.of("/exec", "/pty", "/commands", "/upload?path=x", "/forward/9222/json/version")) {
            String[] answer = curl(auth + "-X POST \"$CHASER_API_URL/s/$S1/forward/1/../../../$S2" + route + "\"");
            assertEquals("400", answer[0], route + " -> " + answer[1]);
        }
        // positive controls: the secret is there for its owner, and my own session's route works
        String[] owner = curl(
                "-H \"Authorization: Bearer $OTHER_KEY\" \"$CHASER_API_URL/s/$S2/download?path=secret.txt\"");
        assertEquals("200", owner[0], owner[1]);
        assertEquals(SECRET + "\n", owner[1]);
        String[] other = curl(auth + "\"$CHASER_API_URL/s/$S2/download?path=secret.txt\"");
        assertEquals("404", other[0], "another account's session is invisible: " + other[1]);
    }

    @Test
    void theAgentsDataPlaneServesNoSessionWithoutTheGatewaysToken() throws Exception {
        String[] bare = curl("$AS_GATEWAY \"$AGENT/internal/v1/sessions/$S2/download?path=secret.txt\"");
        assertEquals("401", bare[0], bare[1]);
        assertTrue(bare[1].contains("\"unauthorized\"") && !bare[1].contains(SECRET), bare[1]);
        String forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        String[] fake = curl("$AS_GATEWAY -H 'X-Chaser-Session-Token: " + forged
                + "' \"$AGENT/internal/v1/sessions/$S2/download?path=secret.txt\"");
        assertEquals("401", fake[0], fake[1]);
        String[] exec = curl(
                "$AS_GATEWAY -X POST -H 'Content-Type: application/json' -d '{\"command\":\"cat secret.txt\"}' "
                        + "\"$AGENT/internal/v1/sessions/$S2/exec\"");
        assertEquals("401", exec[0], exec[1]);
        // positive control: the same file through the gateway, with its owner's key
        String[] relayed = curl(
                "-H \"Authorization: Bearer $OTHER_KEY\" \"$CHASER_API_URL/s/$S2/download?path=secret.txt\"");
        assertEquals("200", relayed[0], relayed[1]);
    }

    @Test
    void theAgentsGrpcApiAnswersNoCallerWithoutTheInstallationsSecret() throws Exception {
        var platform = SharedPlatform.get();
        // session-service's own certificate, without the agent-call secret
        var bare = platform.channel(platform.agentPort(), InternalCallers.SESSION);
        var bareDisks = platform.channel(platform.agentPort(), InternalCallers.WORKSPACE);
        try {
            var vms = sh.chaser.proto.vmagent.v1.VmAgentGrpc.newBlockingStub(bare).withDeadlineAfter(10,
                    java.util.concurrent.TimeUnit.SECONDS);
            var destroy = sh.chaser.proto.vmagent.v1.DestroyRequest.newBuilder().setSessionId(s2).build();
            var refused = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> vms.destroy(destroy));
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            // workspace-service's certificate (the disks' caller), without the secret
            var disks = sh.chaser.proto.vmagent.v1.DisksGrpc.newBlockingStub(bareDisks).withDeadlineAfter(10,
                    java.util.concurrent.TimeUnit.SECONDS);
            var list = sh.chaser.proto.vmagent.v1.ListDisksRequest.getDefaultInstance();
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, org.junit.jupiter.api.Assertions.assertThrows(
                    io.grpc.StatusRuntimeException.class, () -> disks.listDisks(list)).getStatus().getCode());
        } finally {
            bare.shutdownNow();
            bareDisks.shutdownNow();
        }
        // S2 was not destroyed: its owner still reads the secret
        assertEquals(SECRET, theirs.exec(s2, "cat /workspace/secret.txt").body().get("output").asText().strip());
        // positive control: the same List with the installation's secret (what session-service holds) is answered
        try (AgentDisks signed = new AgentDisks(platform)) {
            assertTrue(signed.vms().list(sh.chaser.proto.vmagent.v1.ListVmsRequest.getDefaultInstance())
                    .getVmsCount() >= 2);
        }
    }

    @Test
    void variablesThatSteerLoadersOrThePlatformAreRefusedAndChangeNothing() throws Exception {
        for (String name : List.of("LD_PRELOAD", "LD_DEBUG", "LD_LIBRARY_PATH", "GCONV_PATH", "BASH_ENV", "ENV",
                "CHASER_CGROUP_PROCS")) {
            var exec = api.call("POST", "/v1/sessions/" + s1 + "/exec",
                    SharedPlatform.credentials().get("CHASER_API_KEY"),
                    null, "{\"command\":\"echo ran\",\"env\":{\"" + name + "\":\"/workspace/x.so\"}}");
            assertEquals(400, exec.status(), name + ": " + exec.body());
            assertEquals("invalid_request", Sessions.code(exec));
            assertEquals("env", exec.body().path("error").path("field").asText(), exec.body().toString());
            var create = mine
                    .create("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"env\":{\"" + name + "\":\"x\"}}");
            assertEquals(400, create.status(), name + ": " + create.body());
        }
        // positive control: an ordinary variable reaches the command, and LD_DEBUG would have printed a loader trace
        var ok = api.call("POST", "/v1/sessions/" + s1 + "/exec", SharedPlatform.credentials().get("CHASER_API_KEY"),
                null, "{\"command\":\"echo $GREETING; LD_DEBUG=libs /bin/true 2>&1 | grep -c 'find library' || true\","
                        + "\"env\":{\"GREETING\":\"hi\"}}");
        assertEquals(200, ok.status(), ok.body().toString());
        String[] lines = ok.body().get("output").asText().split("\n");
        assertEquals("hi", lines[0]);
        assertTrue(Integer.parseInt(lines[1].trim()) > 0, "LD_DEBUG traces a loader where it is set: " + lines[1]);
    }

    /** One line of a file or command output inside S1. */
    private String inside(String command) throws Exception {
        var r = mine.exec(s1, command);
        assertEquals(200, r.status(), r.body().toString());
        return r.body().get("output").asText();
    }

    @Test
    void sandboxCodeIsNoHostUserAndHoldsNoPrivilege() throws Exception {
        // ids: no line of the map sends an id inside to host root (the host's own map does: the probe reads real state)
        for (String line : inside("cat /proc/self/uid_map /proc/self/gid_map").strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            assertTrue(!f[1].equals("0"), "an id maps to host root: " + line);
        }
        assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/uid_map")).trim().startsWith("0"),
                "positive control: the host's own map starts at 0");
        assertEquals("1000\n", inside("id -u"));
        // capabilities and seccomp, next to the same fields of this (host) process
        String status = inside("grep -E '^(CapBnd|CapEff|CapPrm|NoNewPrivs|Seccomp):' /proc/self/status");
        assertTrue(status.contains("CapBnd:\t0000000000000000") && status.contains("CapEff:\t0000000000000000")
                && status.contains("NoNewPrivs:\t1") && status.contains("Seccomp:\t2"), status);
        String host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
        assertTrue(!host.contains("CapBnd:\t0000000000000000") && host.contains("Seccomp:\t0"),
                "positive control: the probe tells a privileged, unfiltered process apart");
        // kernel settings: /proc/sys is read-only inside, writable on the host
        assertEquals("refused\n",
                inside("(echo '|/workspace/x' > /proc/sys/kernel/core_pattern) 2>/dev/null && echo written"
                        + " || echo refused"));
        assertTrue(java.nio.file.Files.isWritable(java.nio.file.Path.of("/proc/sys/kernel/core_pattern")),
                "positive control: root on the host may write it");
        // no nested user namespace, no mount (both work on the host)
        assertEquals("refused\n", inside("unshare -Ur true 2>/dev/null && echo created || echo refused"));
        assertEquals(0, new ProcessBuilder("unshare", "-Ur", "true").start().waitFor(),
                "positive control: the host makes nested user namespaces");
        assertEquals("refused\n",
                inside("mkdir -p /tmp/m && mount -t tmpfs x /tmp/m 2>/dev/null && echo mounted || echo refused"));
    }

    @Test
    void theWorkspaceIsNosuidNodevAndBelongsToNoHostUser() throws Exception {
        String mounts = inside("grep ' /workspace ' /proc/self/mountinfo");
        assertTrue(mounts.contains("nosuid") && mounts.contains("nodev"), mounts);
        inside("touch /workspace/owned");
        // on the host the file belongs to the sandbox range, not to root
        long owner = ((Number) java.nio.file.Files.getAttribute(SharedPlatform.get().scratch(s1).resolve("owned"),
                "unix:uid")).longValue();
        assertEquals(2_000_001_000L, owner);
    }

    @Test
    void sandboxCodeHoldingItsGuestAgentsTokenCannotCallTheAgent() throws Exception {
        // the token is readable inside (the guest runs as the sandbox's user) and the agent listens on
        // the sandbox's loopback: the positive control is that it answers at all; it answers the
        // host's address only, so the sandbox's own call is refused
        String answer = inside(
                "[ -s /dev/chaser-guest.token ] && echo has-token; curl -s -o /dev/null -w '%{http_code}'"
                        + " -H \"Authorization: Bearer $(cat /dev/chaser-guest.token)\" -X POST -d '{\"command\":\"id\"}'"
                        + " http://127.0.0.1:49983/v1/exec; echo");
        assertEquals("has-token\n403\n", answer);
    }

    @Test
    void anApplicationsAnswerCannotPassForThePlatformsError() throws Exception {
        // a server in the sandbox that marks its answers the way the host's agent marks its own errors
        inside("cat > /tmp/marking.py <<'EOF'\nimport http.server as h\nclass H(h.BaseHTTPRequestHandler):\n"
                + "    def do_GET(self):\n        self.send_response(200)\n"
                + "        self.send_header('X-Chaser-Error-Code', 'sandbox_not_found')\n"
                + "        self.send_header('Content-Length', '8')\n        self.end_headers()\n"
                + "        self.wfile.write(b'app-body')\nh.HTTPServer(('127.0.0.1', 8123), H).serve_forever()\nEOF\n");
        var started = api.call("POST", "/v1/sessions/" + s1 + "/exec",
                SharedPlatform.credentials().get("CHASER_API_KEY"), null,
                "{\"command\":\"exec python3 /tmp/marking.py\",\"background\":true}");
        assertEquals(200, started.status(), started.body().toString());
        // positive control: the application's answer carries the mark
        String direct = Await.until(() -> inside("curl -s -D - http://127.0.0.1:8123/ || true"),
                a -> a.contains("app-body"), 30,
                "the application answers inside");
        assertTrue(direct.contains("X-Chaser-Error-Code: sandbox_not_found"), direct);
        // through forward/ the user gets the application's answer, not "session not running"
        String[] answer = curl("-H \"Authorization: Bearer $CHASER_API_KEY\" \"$CHASER_API_URL/s/$S1/forward/8123/\"");
        assertEquals("200", answer[0], answer[1]);
        assertEquals("app-body", answer[1]);
    }

    @Test
    void writingToTheInitsDescriptorsFillsNoHostFile() throws Exception {
        // positive control: the descriptors are writable from inside (they were the host's init.log before)
        assertEquals("wrote\n",
                inside("head -c 4194304 /dev/zero > /proc/1/fd/1 && head -c 4194304 /dev/zero > /proc/1/fd/2"
                        + " && echo wrote"));
        java.nio.file.Path log = SharedPlatform.get().initLog(s1);
        long size = java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0;
        assertTrue(size < 65536, "the host's init.log of the sandbox grew to " + size + " bytes");
    }

    /** The exit status of a TCP connect from inside S1, with {@code timeout}'s 124 when the packets were dropped. */
    private String connectFromSandbox(String address, int seconds) throws Exception {
        var r = mine.exec(s1, "timeout " + seconds + " bash -c '</dev/tcp/" + address + "/" + NeighbourHost.PORT
                + "' 2>/dev/null; echo $?");
        assertEquals(200, r.status(), r.body().toString());
        return r.body().get("output").asText().strip();
    }

    @Test
    void egressReachesNoPrivateNetworkUnlessTheOperatorAllowsIt() throws Exception {
        try (NeighbourHost denied = new NeighbourHost("ctn-den", "192.168.251");
                NeighbourHost allowed = new NeighbourHost("ctn-ok", ALLOWED_NETWORK)) {
            // positive controls: both listen, seen from this host; the sandbox reaches the allowed one
            assertTrue(denied.serving() && allowed.serving());
            assertEquals("0", connectFromSandbox(allowed.address(), 3));
            assertEquals(String.valueOf(TIMED_OUT), connectFromSandbox(denied.address(), 2),
                    "a private network's packets are dropped");
            for (String target : List.of("169.254.169.254", "100.64.0.1", "172.16.0.1")) {
                assertTrue(!"0".equals(connectFromSandbox(target, 2)), target + " is reached");
            }
        }
    }

    /** Packets counted by the rule inside the sandbox's namespace that sends {@code range} to {@code target}. */
    private long insideCount(String netns, String range, String target) throws Exception {
        for (String line : shell.run("ip netns exec " + netns + " iptables -w -L CHASER-EGRESS -v -n -x").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 8 && f[2].equals(target) && f[8].equals(range)) {
                return Long.parseLong(f[0]);
            }
        }
        throw new AssertionError("no rule " + target + " " + range + " inside " + netns);
    }

    @Test
    void aSecondWallInsideTheSandboxDropsWhatTheHostWouldAndRemovedRulesComeBack() throws Exception {
        String netns = SharedPlatform.get().sandboxNetns(s1);
        try (NeighbourHost denied = new NeighbourHost("ctn-in", "192.168.250");
                NeighbourHost allowed = new NeighbourHost("ctn-ia", ALLOWED_NETWORK)) {
            assertTrue(denied.serving() && allowed.serving());
            long droppedBefore = insideCount(netns, "192.168.0.0/16", "DROP");
            assertEquals(String.valueOf(TIMED_OUT), connectFromSandbox(denied.address(), 2));
            assertTrue(insideCount(netns, "192.168.0.0/16", "DROP") > droppedBefore,
                    "the rule inside the sandbox dropped the packets before the host saw them");
            // positive control: the counters follow the probe's packets (the allowed network's rule counts its connection)
            long acceptedBefore = insideCount(netns, ALLOWED_NETWORK + ".0/24", "ACCEPT");
            assertEquals("0", connectFromSandbox(allowed.address(), 3));
            assertTrue(insideCount(netns, ALLOWED_NETWORK + ".0/24", "ACCEPT") > acceptedBefore);
        }
        // someone flushes both walls; the reconcile loop puts them back
        shell.run("iptables -w -F CHASER-FORWARD && ip netns exec " + netns + " iptables -w -F CHASER-EGRESS");
        Await.until(() -> dropsPrivateNetworks(shell.run("iptables -w -S CHASER-FORWARD"))
                && dropsPrivateNetworks(shell.run("ip netns exec " + netns + " iptables -w -S CHASER-EGRESS")),
                30, "the reconcile loop puts the host's rules and the sandbox's back");
    }

    /** Whether a chain's listing (iptables -S, which orders a rule's matches its own way) drops 192.168/16. */
    private static boolean dropsPrivateNetworks(String listing) {
        return listing.lines().anyMatch(l -> l.contains("-d 192.168.0.0/16 ") && l.endsWith("-j DROP"));
    }
}
