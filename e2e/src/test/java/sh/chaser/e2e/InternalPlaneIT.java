package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.errors.v1.ErrorReason;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.SessionLeasesGrpc;
import sh.chaser.proto.session.v1.SessionLocatorGrpc;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;

/**
 * An attacker on the host network against the internal plane of a running platform: every
 * internal port refuses plaintext and TLS without a client certificate of the installation's CA;
 * every gRPC method refuses every identity it does not list (the whole table: method x identity);
 * the services' HTTP API and the agent's data plane refuse every certificate but the gateway's;
 * refusals are audited; a rotation of every certificate takes effect without a restart. The listed identity getting past the certificate check (to the call's own
 * checks) is the positive control of each row.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InternalPlaneIT {

    /** A route of each port's HTTP API that needs the caller's own token (401 without it). */
    private static final Map<String, String> PATHS = Map.of("account-service", "/v1/accounts/current",
            "workspace-service", "/v1/workspaces", "session-service", "/v1/sessions", "vm-agent",
            "/internal/v1/sessions/x/download?path=a");

    private LocalPlatform platform;
    private Shell shell;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private List<String> identities;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        shell = new Shell(Map.of());
        ports.put("account-service", platform.portBase + 1);
        ports.put("workspace-service", platform.portBase + 2);
        ports.put("session-service", platform.sessionPort());
        ports.put("vm-agent", platform.agentPort());
        identities = List.of(InternalCallers.GATEWAY, InternalCallers.ACCOUNT, InternalCallers.SESSION,
                InternalCallers.WORKSPACE, InternalCallers.AGENT + "/" + platform.hostId());
    }

    /** The agent has no audit trail: its refusals reach session-service with its next heartbeat. */
    @Test
    void aCallTheAgentRefusedIsAuditedToo() throws Exception {
        ManagedChannel channel = platform.channel(platform.agentPort(), InternalCallers.GATEWAY);
        try {
            StatusRuntimeException refused = call(channel, VmAgentGrpc.getListMethod());
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
        assertEquals("403 exit=0", curl(platform.curlAs(InternalCallers.SESSION),
                "https://127.0.0.1:" + platform.agentPort() + PATHS.get("vm-agent")));
        String host = InternalCallers.AGENT + "/" + platform.hostId();
        for (String[] expected : new String[][]{
                { InternalCallers.GATEWAY, "GRPC " + host + " " + VmAgentGrpc.getListMethod().getFullMethodName() },
                { InternalCallers.SESSION, "GET " + host + " /internal/v1/sessions/x/download" } }) {
            Await.until(() -> {
                try (var db = platform.database("account");
                        var query = db.prepareStatement("SELECT count(*) FROM audit_events WHERE action = "
                                + "'request.refused' AND actor_id = ? AND resource_id = ? AND account_id IS NULL")) {
                    query.setString(1, expected[0]);
                    query.setString(2, expected[1]);
                    var rows = query.executeQuery();
                    rows.next();
                    return rows.getLong(1) > 0;
                }
            }, 30, "the agent's refusal of " + expected[1] + " to " + expected[0] + " is in the audit trail");
        }
    }

    /** curl's HTTP status and exit code ("000 exit=35" when no HTTP answer came). */
    private String curl(String options, String url) throws Exception {
        return shell.run("curl -s -o /dev/null -w '%{http_code}' --max-time 10 " + options + " '" + url
                + "'; echo \" exit=$?\"").strip();
    }

    @Test
    void everyInternalPortRefusesPlaintextAndTlsWithoutAClientCertificate() throws Exception {
        for (var port : ports.entrySet()) {
            String path = PATHS.get(port.getKey());
            String plain = curl("", "http://127.0.0.1:" + port.getValue() + path);
            assertTrue(plain.startsWith("000 ") && !plain.endsWith("exit=0"), port + " answered plaintext: " + plain);
            String noCertificate = curl("--cacert " + platform.tls(InternalCallers.GATEWAY).ca(),
                    "https://127.0.0.1:" + port.getValue() + path);
            assertTrue(noCertificate.startsWith("000 "), port + " answered without a certificate: " + noCertificate);
            // positive control: the gateway's certificate gets an HTTP answer (401: no internal token)
            String gateway = curl(platform.curlAs(InternalCallers.GATEWAY),
                    "https://127.0.0.1:" + port.getValue() + path);
            assertEquals("401 exit=0", gateway, port.getKey());

            for (ManagedChannel channel : List.of(
                    Grpc.newChannelBuilderForAddress("127.0.0.1", port.getValue(), InsecureChannelCredentials.create())
                            .build(),
                    Grpc.newChannelBuilderForAddress("127.0.0.1", port.getValue(), TlsChannelCredentials.newBuilder()
                            .trustManager(platform.tls(InternalCallers.GATEWAY).ca().toFile()).build()).build())) {
                try {
                    var refused = call(channel, anyMethodOf(port.getKey()));
                    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), port + ": " + refused);
                } finally {
                    channel.shutdownNow();
                }
            }
        }
    }

    @Test
    void everyGrpcMethodRefusesEveryIdentityItDoesNotList() throws Exception {
        Map<String, List<ServiceDescriptor>> services = Map.of(
                "vm-agent", List.of(VmAgentGrpc.getServiceDescriptor(), DisksGrpc.getServiceDescriptor()),
                "session-service", List.of(HostRegistryGrpc.getServiceDescriptor(),
                        SessionLocatorGrpc.getServiceDescriptor(), SessionLeasesGrpc.getServiceDescriptor()),
                "workspace-service", List.of(WorkspaceLockGrpc.getServiceDescriptor()),
                "account-service", List.of(AccountAuthGrpc.getServiceDescriptor(),
                        sh.chaser.proto.account.v1.IdempotencyRecordsGrpc.getServiceDescriptor()));
        List<String> table = new ArrayList<>();
        for (String identity : identities) {
            for (var target : services.entrySet()) {
                ManagedChannel channel = platform.channel(ports.get(target.getKey()), identity);
                try {
                    for (ServiceDescriptor service : target.getValue()) {
                        for (MethodDescriptor<?, ?> method : service.getMethods()) {
                            StatusRuntimeException answer = call(channel, method);
                            boolean refused = answer != null
                                    && answer.getStatus().getCode() == Status.Code.PERMISSION_DENIED
                                    && ErrorCatalog.is(code(answer), ErrorReason.FORBIDDEN)
                                    && String.valueOf(answer.getStatus().getDescription()).contains("may not call");
                            boolean listed = InternalCallers.allowed(method.getFullMethodName(), identity);
                            table.add(method.getFullMethodName() + " x " + identity + ": "
                                    + (refused
                                            ? "refused"
                                            : "passed (" + (answer == null ? "OK" : answer.getStatus()) + ")"));
                            assertEquals(!listed, refused,
                                    method.getFullMethodName() + " as " + identity + ": " + answer);
                        }
                    }
                } finally {
                    channel.shutdownNow();
                }
            }
        }
        System.out.println(String.join("\n", table));
        assertTrue(table.size() >= 5 * 20, "the whole table was tried: " + table.size());
    }

    @Test
    void onlyTheGatewaysCertificateReachesTheServicesHttpApiAndTheDataPlane() throws Exception {
        for (var port : ports.entrySet()) {
            String path = PATHS.get(port.getKey());
            for (String identity : identities) {
                String answer = curl(platform.curlAs(identity), "https://127.0.0.1:" + port.getValue() + path);
                assertEquals(identity.equals(InternalCallers.GATEWAY) ? "401 exit=0" : "403 exit=0", answer,
                        port.getKey() + " as " + identity);
            }
        }
    }

    @Test
    void aRefusedInternalCallIsAudited() throws Exception {
        ManagedChannel channel = platform.channel(ports.get("workspace-service"), InternalCallers.WORKSPACE);
        try {
            StatusRuntimeException refused = call(channel, WorkspaceLockGrpc.getResolveWorkspaceMethod());
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
        String method = WorkspaceLockGrpc.getResolveWorkspaceMethod().getFullMethodName();
        Await.until(() -> {
            try (var db = platform.database("account");
                    var query = db.prepareStatement("SELECT count(*) FROM audit_events WHERE action = 'request.refused'"
                            + " AND actor_id = ? AND resource_id = ? AND account_id IS NULL")) {
                query.setString(1, InternalCallers.WORKSPACE);
                query.setString(2, "GRPC " + method);
                var rows = query.executeQuery();
                rows.next();
                return rows.getLong(1) > 0;
            }
        }, 30, "the refused call of " + method + " by workspace-service is in the audit trail");
    }

    @Test
    void aCertificateRotationTakesEffectWithoutARestartAndNothingStops() throws Exception {
        SSLContext before = platform.tls(InternalCallers.GATEWAY).sslContext();
        Map<String, BigInteger> served = new LinkedHashMap<>();
        for (var port : ports.entrySet()) {
            served.put(port.getKey(), servedSerial(before, port.getValue()));
        }
        var rotated = platform.run("certs", "rotate");
        assertEquals(0, rotated.exit(), rotated.output());
        // every server (each instance behind the balancer) reads its new certificate within its reload
        // period (30 s), no restart; a handshake at the very moment of the swap may fail once: not yet
        for (var port : ports.entrySet()) {
            if (port.getKey().equals("vm-agent")) {
                continue; // an agent's certificate is its own (it joined): it renews by joining again
            }
            Await.until(() -> {
                for (int i = 0; i < 6; i++) {
                    BigInteger serial = servedSerialOrNull(before, port.getValue());
                    if (serial == null || serial.equals(served.get(port.getKey()))) {
                        return false;
                    }
                }
                return true;
            }, 90, port.getKey() + " serves its rotated certificate on every instance");
        }
        // clients still holding the previous (valid) certificate carry on: the API works end to end
        var sessions = new Sessions(new Api(platform.apiUrl()), SharedPlatform.credentials().get("CHASER_API_KEY"));
        String id = sessions.ephemeralSandbox().get("id").asText();
        try {
            assertEquals("rotated\n", sessions.exec(id, "echo rotated").body().get("output").asText());
        } finally {
            sessions.terminate(id, true);
        }
        // and the new certificates are the installation's too
        assertEquals("401 exit=0", curl(platform.curlAs(InternalCallers.GATEWAY),
                "https://127.0.0.1:" + platform.sessionPort() + PATHS.get("session-service")));
    }

    private static BigInteger servedSerialOrNull(SSLContext context, int port) {
        try {
            return servedSerial(context, port);
        } catch (IOException e) {
            return null;
        }
    }

    /** The serial number of the certificate a port presents. */
    private static BigInteger servedSerial(SSLContext context, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private MethodDescriptor<?, ?> anyMethodOf(String target) {
        return switch (target) {
            case "vm-agent" -> VmAgentGrpc.getListMethod();
            case "session-service" -> SessionLocatorGrpc.getLocateSessionMethod();
            case "workspace-service" -> WorkspaceLockGrpc.getResolveWorkspaceMethod();
            default -> AccountAuthGrpc.getAuthenticateMethod();
        };
    }

    private static String code(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        return trailers == null ? null : trailers.get(ErrorCatalog.TRAILER);
    }

    /** One call of {@code method} with an empty request; its refusal, or null when it was answered. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static StatusRuntimeException call(Channel channel, MethodDescriptor<?, ?> method) {
        MethodDescriptor raw = method;
        Message empty = (Message) ((MethodDescriptor.PrototypeMarshaller) raw.getRequestMarshaller())
                .getMessagePrototype();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
        try {
            if (raw.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                ClientCalls.blockingServerStreamingCall(channel, raw, options, empty).hasNext();
            } else {
                ClientCalls.blockingUnaryCall(channel, raw, options, empty);
            }
            return null;
        } catch (StatusRuntimeException e) {
            return e;
        }
    }
}
