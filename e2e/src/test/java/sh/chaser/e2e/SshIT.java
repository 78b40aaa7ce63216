package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH gateway with the real OpenSSH client: a key added at /v1/ssh-keys opens
 * {@code ssh <workspace>@host}: a shell in a pseudo-terminal that follows a resize and exits with the
 * remote status, and commands with their exit status and input. Keys of nobody, another account's
 * workspace, a name in two accounts and a deleted key are refused, each beside the same probe
 * succeeding.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    @TempDir
    Path dir;

    record Ran(int exit, String out, String err) {}

    @BeforeAll
    void platform() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @Test
    void aShellAndCommandsRunInTheWorkspaceWithTheirExitStatus() throws Exception {
        Path identity = keyPair("mine");
        String keyId = addKey(key, identity);
        String workspace = new Sessions(api, key).workspace("sandbox");

        Ran ran = ssh(identity, workspace, "echo hello from $(pwd); echo oops >&2; exit 3", null);
        assertEquals(3, ran.exit(), ran.toString());
        assertTrue(ran.out().contains("hello from /workspace\n"), "raw output, no CR: " + ran);
        assertTrue(ran.out().contains("oops"), "stderr arrives on the one stream: " + ran);
        Ran counted = ssh(identity, workspace, "wc -l", "one\ntwo\nthree\n");
        assertEquals(0, counted.exit(), counted.toString());
        assertEquals("3", counted.out().strip(), "the client's input and its end reached the command");
        assertEquals(0, ssh(identity, workspace, "echo kept > marker", null).exit());
        assertEquals("kept", ssh(identity, workspace, "cat marker", null).out().strip(), "one workspace disk");

        Path driver = dir.resolve("pty_shell.py");
        try (var in = getClass().getResourceAsStream("/pty_shell.py")) {
            Files.write(driver, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("python3", driver.toString()));
        command.addAll(sshCommand(identity, workspace, true));
        Ran shell = run(command, null);
        var seen = new ObjectMapper().readTree(shell.out().strip());
        assertTrue(seen.path("ready").asBoolean(), "the remote shell answered: " + seen);
        assertTrue(seen.path("initial").asBoolean(), "control: stty size saw the first size: " + seen);
        assertTrue(seen.path("resized").asBoolean(), "stty size saw the new size after the resize: " + seen);
        assertEquals(7, seen.path("exit").asInt(-1), "the remote exit code: " + seen);

        assertEquals(204, api.call("DELETE", "/v1/ssh-keys/" + keyId, key, null, null).status());
        Ran revoked = ssh(identity, workspace, "true", null);
        assertEquals(255, revoked.exit(), "a deleted key is refused on the next connection: " + revoked);
        assertTrue(revoked.err().contains("Permission denied"), revoked.toString());
    }

    @Test
    void keysOfNobodyOtherAccountsAndNamesInTwoAccountsAreRefused() throws Exception {
        Path identity = keyPair("shared");
        addKey(key, identity);
        String mine = new Sessions(api, key).workspace("sandbox");
        String otherKey = Accounts.organizationKey(api, SharedPlatform.credentials());
        String theirs = new Sessions(api, otherKey).workspace("sandbox");
        assertEquals(0, ssh(identity, mine, "true", null).exit(), "control: the key opens its own workspace");

        Ran foreign = ssh(identity, theirs, "true", null);
        assertEquals(1, foreign.exit(), foreign.toString());
        assertTrue(foreign.err().contains("workspace_not_found"), "another account's workspace: " + foreign);

        for (String trick : List.of("..", mine + "%2F..", "x/../" + mine)) {
            Ran tricked = ssh(identity, trick, "true", null);
            assertEquals(1, tricked.exit(), trick + ": " + tricked);
            assertTrue(tricked.err().contains("invalid_request"), "a path-shaped user name is refused: " + tricked);
        }

        Ran nobody = ssh(keyPair("stranger"), mine, "true", null);
        assertEquals(255, nobody.exit(), "a key nobody added: " + nobody);

        // the same key on the other account, and a workspace of the same name there: ambiguous by name
        addKey(otherKey, identity);
        var twin = api.call("POST", "/v1/workspaces", otherKey, null,
                "{\"session_type\":\"sandbox\",\"name\":\"" + mine + "\"}");
        assertEquals(201, twin.status(), twin.body().toString());
        Ran ambiguous = ssh(identity, mine, "true", null);
        assertEquals(1, ambiguous.exit(), ambiguous.toString());
        assertTrue(ambiguous.err().contains("workspace_name_ambiguous"), ambiguous.toString());
        String id = api.get("/v1/workspaces/" + mine, key).body().get("id").asText();
        assertEquals("by-id", ssh(identity, id, "echo by-id", null).out().strip(), "its id picks one");
        assertEquals(0, ssh(identity, theirs, "true", null).exit(), "now the key is on that account too");
    }

    /** The user name "default" is the account's default sandbox workspace; without one it is refused. */
    @Test
    void theUserNameDefaultOpensTheAccountsDefaultSandboxWorkspace() throws Exception {
        String own = Accounts.organizationKey(api, SharedPlatform.credentials());
        Path identity = keyPair("default");
        addKey(own, identity);
        Ran none = ssh(identity, "default", "true", null);
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("workspace_not_found"), none.toString());

        String workspace = new Sessions(api, own).workspace("sandbox");
        assertEquals(0, ssh(identity, workspace, "echo marked > marker", null).exit());
        var set = api.call("PUT", "/v1/workspaces/default", own, null,
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        assertEquals(200, set.status(), set.body().toString());
        Ran viaDefault = ssh(identity, "default", "cat marker", null);
        assertEquals(0, viaDefault.exit(), viaDefault.toString());
        assertEquals("marked", viaDefault.out().strip(), "the default workspace's disk");
    }

    @Test
    void scpAndSftpCopyTenMebibytesBothWaysByteForByte() throws Exception {
        Path identity = keyPair("files");
        addKey(key, identity);
        String workspace = new Sessions(api, key).workspace("sandbox");
        byte[] data = new byte[10 * 1024 * 1024];
        new java.util.Random(29).nextBytes(data);
        Path local = dir.resolve("big.bin");
        Files.write(local, data);

        Ran up = run(scpCommand(identity, local.toString(), workspace + "@127.0.0.1:big.bin"), null);
        assertEquals(0, up.exit(), up.toString());
        String sum = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        assertEquals(sum, ssh(identity, workspace, "sha256sum big.bin", null).out().split(" ")[0],
                "the sandbox holds the same bytes");
        Path back = dir.resolve("back.bin");
        Ran down = run(scpCommand(identity, workspace + "@127.0.0.1:big.bin", back.toString()), null);
        assertEquals(0, down.exit(), down.toString());
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(back)), "scp brought the same bytes back");

        Path batch = dir.resolve("batch");
        Path again = dir.resolve("again.bin");
        Files.writeString(batch, "put " + local + " copy.bin\nls -1\nget copy.bin " + again + "\nrm big.bin\n");
        List<String> sftp = new ArrayList<>(List.of("sftp", "-b", batch.toString()));
        sftp.addAll(options(identity, "-P"));
        sftp.add(workspace + "@127.0.0.1");
        Ran session = run(sftp, null);
        assertEquals(0, session.exit(), session.toString());
        assertTrue(session.out().contains("copy.bin"), "ls listed the workspace: " + session);
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(again)), "sftp brought the same bytes back");
        assertEquals("copy.bin", ssh(identity, workspace, "ls *.bin", null).out().strip(), "rm removed big.bin");
    }

    /**
     * ssh -L reaches an HTTP server inside the sandbox. The attacks: a host listener on the gateway's
     * own machine is never dialled, neither as localhost (which is the sandbox's) nor by another address
     * (refused: administratively prohibited); the control is the same forwarding reaching the sandbox's port.
     */
    @Test
    void localForwardingReachesAPortInTheSandboxAndNothingOnTheHost() throws Exception {
        Path identity = keyPair("forward");
        addKey(key, identity);
        String workspace = new Sessions(api, key).workspace("sandbox");
        String bigSum = serveInSandbox(identity, workspace);
        String leases = "/v1/sessions?status=running&workspace=" + workspace;
        try (java.net.ServerSocket hostListener = new java.net.ServerSocket(0)) {
            int hostPort = hostListener.getLocalPort();
            hostListener.setSoTimeout(1);
            int toSandbox = freePort();
            int toHostPort = freePort();
            int elsewhere = freePort();
            int toBanner = freePort();
            List<String> command = new ArrayList<>(
                    List.of("ssh", "-N", "-o", "LogLevel=DEBUG1", "-o", "ExitOnForwardFailure=yes",
                            "-L", toSandbox + ":localhost:8000", "-L", toHostPort + ":localhost:" + hostPort,
                            "-L", elsewhere + ":127.0.0.2:" + hostPort, "-L", toBanner + ":localhost:8002"));
            command.addAll(options(identity, "-p"));
            command.add(workspace + "@127.0.0.1");
            Path err = Files.createTempFile(dir, "forward", ".err");
            Process forwarding = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5))
                        .build();
                var get = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + toSandbox + "/hello.txt"))
                        .timeout(java.time.Duration.ofSeconds(20)).build();
                String body = Await.until(() -> {
                    try {
                        return http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    } catch (java.io.IOException notYet) {
                        return "";
                    }
                }, b -> b.contains("forwarded"), 90, "the sandbox's HTTP server answers through ssh -L");
                assertEquals("forwarded-from-sandbox\n", body);
                try {
                    assertEquals(body, http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body(),
                            "a second connection through the same forwarding");
                } catch (java.io.IOException e) {
                    // it timed out once in a loaded CI run; what the client saw of its channels says where
                    throw new AssertionError("a second GET through ssh -L failed (" + e + "); the client's log:\n"
                            + tail(Files.readString(err)), e);
                }
                // 20 MiB through the client's window and every relay's back-pressure, to the last byte
                byte[] big = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + toSandbox + "/big.bin")).timeout(java.time.Duration.ofSeconds(60)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
                assertEquals(20971520, big.length);
                assertEquals(bigSum, java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)));

                // each forwarded connection holds a connection lease while open (ssh -N alone holds none)
                Await.until(() -> api.get(leases, key).body().get("data").get(0).get("active_connection_leases")
                        .asInt(), n -> n == 0, 30, "no lease without a forwarded connection");
                try (java.net.Socket open = new java.net.Socket("127.0.0.1", toSandbox)) {
                    Await.until(() -> api.get(leases, key).body().get("data").get(0).get("active_connection_leases")
                            .asInt(), n -> n == 1, 30, "an open forwarded connection holds a lease");
                }
                Await.until(() -> api.get(leases, key).body().get("data").get(0).get("active_connection_leases")
                        .asInt(), n -> n == 0, 30, "its lease ends with it");

                assertEquals("banner\n", Await.until(() -> readAll(toBanner), b -> !b.isEmpty(), 30,
                        "the banner of a port that speaks first"));
                assertEquals(-1, firstByte(toHostPort), "localhost is the sandbox's: nothing listens there");
                assertEquals(-1, firstByte(elsewhere), "another address is refused");
                Await.until(() -> Files.readString(err), e -> e.contains("administratively prohibited"), 20,
                        "the client is told why: " + err);
                assertThrows(java.net.SocketTimeoutException.class, hostListener::accept,
                        "the gateway's host was never dialled");
            } finally {
                forwarding.destroy();
                if (!forwarding.waitFor(20, TimeUnit.SECONDS)) {
                    forwarding.destroyForcibly();
                }
            }
        }
    }

    /** Sends a request through a local forwarding and reads the first byte of the answer (-1: closed). */
    private static int firstByte(int localPort) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", localPort)) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                return socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }
    }

    /**
     * Files and servers in the workspace's sandbox: http.server on 8000 (hello.txt and 20 MiB big.bin,
     * whose sha256 is returned) and, on 8002, a port that speaks first and closes at once (a banner,
     * which must follow the channel's confirmation).
     */
    private String serveInSandbox(Path identity, String workspace) throws Exception {
        Ran wrote = ssh(identity, workspace, "echo forwarded-from-sandbox > hello.txt && head -c 20971520"
                + " /dev/urandom > big.bin && sha256sum big.bin", null);
        assertEquals(0, wrote.exit(), wrote.toString());
        assertEquals(0, ssh(identity, workspace, "cat > banner.py", "import socket\ns = socket.socket()\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('127.0.0.1', 8002))\n"
                + "s.listen(8)\nwhile True:\n    c, _ = s.accept()\n    c.sendall(b'banner\\n')\n    c.close()\n")
                .exit());
        String sessionId = api.get("/v1/sessions?status=running&workspace=" + workspace, key).body().get("data")
                .get(0).get("id").asText();
        for (String server : List.of("exec python3 -m http.server 8000 --bind 127.0.0.1", "exec python3 banner.py")) {
            var started = api.call("POST", "/v1/sessions/" + sessionId + "/exec", key, null,
                    "{\"background\":true,\"command\":\"" + server + "\"}");
            assertEquals(200, started.status(), started.body().toString());
        }
        return wrote.out().strip().split(" ")[0];
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    /** Everything a forwarded connection receives until the port closes it. */
    private static String readAll(int localPort) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", localPort)) {
            socket.setSoTimeout(30_000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private List<String> scpCommand(Path identity, String from, String to) {
        List<String> command = new ArrayList<>(List.of("scp", "-q"));
        command.addAll(options(identity, "-P"));
        command.addAll(List.of(from, to));
        return command;
    }

    private List<String> options(Path identity, String portFlag) {
        return List.of("-i", identity.toString(), portFlag, Integer.toString(platform.sshPort()), "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o",
                "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20");
    }

    private Path keyPair(String name) throws Exception {
        Path identity = dir.resolve(name);
        Ran made = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@e2e", "-f",
                identity.toString()), null);
        assertEquals(0, made.exit(), made.toString());
        return identity;
    }

    private String addKey(String apiKey, Path identity) throws Exception {
        String line = Files.readString(identity.resolveSibling(identity.getFileName() + ".pub")).strip();
        var added = api.call("POST", "/v1/ssh-keys", apiKey, null, "{\"public_key\":\"" + line + "\"}");
        assertEquals(201, added.status(), added.body().toString());
        assertTrue(added.body().get("fingerprint").asText().startsWith("SHA256:"), added.body().toString());
        return added.body().get("id").asText();
    }

    private List<String> sshCommand(Path identity, String user, boolean tty) {
        List<String> command = new ArrayList<>(List.of("ssh", tty ? "-tt" : "-T"));
        command.addAll(options(identity, "-p"));
        command.add(user + "@127.0.0.1");
        return command;
    }

    private Ran ssh(Path identity, String user, String remote, String input) throws Exception {
        List<String> command = sshCommand(identity, user, false);
        command.add(remote);
        return run(command, input);
    }

    private Ran run(List<String> command, String input) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = builder.start();
        if (input != null) {
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no end within 240 s: " + command + "\n" + Files.readString(err));
        }
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
