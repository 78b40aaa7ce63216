package sh.chaser.agent.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import sh.chaser.agent.runtime.firecracker.FirecrackerApi;

/**
 * Stands in for the firecracker binary on hosts without KVM: {@code --api-sock <path> --id <id>}
 * like the real one, serving its API on that Unix socket. Every request is checked against the
 * published API description and against Firecracker's rules of order (pre-boot configuration
 * only before InstanceStart, snapshots of paused VMs only, snapshot load only into an empty VM);
 * it answers as Firecracker does (204, or 400 with {@code fault_message}). Each request is
 * appended to {@code <socket>.requests} as a JSON line for tests to read. With
 * {@code FIRECRACKER_STUB_QEMU} set, InstanceStart runs the configured VM under QEMU
 * ({@link QemuStandIn}): that proves the configuration boots the platform's guest, not that
 * Firecracker does. With {@code FIRECRACKER_STUB_ROOT} set (the stand-in jailer's copy sets it to
 * its own directory), it acts as a jailed firecracker ({@link StandInJail}): every path is in that
 * root and is opened with the jail's uid's rights, and so is the tap.
 */
public final class FirecrackerApiStub {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRE_BOOT = Set.of("/machine-config", "/boot-source", "/drives/",
            "/network-interfaces/",
            "/vsock", "/logger", "/metrics", "/cpu-config", "/entropy", "/serial", "/balloon", "/mmds/config",
            "/pmem/");
    private final SwaggerSpec spec;
    private final Path requests;
    private final String id;
    private String state = "Not started";
    private boolean configured;
    private final StandInJail jail;
    private final QemuStandIn vm;

    private FirecrackerApiStub(SwaggerSpec spec, Path socket, String id, StandInJail jail) {
        this.spec = spec;
        this.requests = Path.of(socket + ".requests");
        this.id = id;
        this.jail = jail;
        this.vm = new QemuStandIn(jail);
    }

    /** Firecracker's options as {@code --name value} or {@code --name=value} (the jailer passes --id=). */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals > 0) {
                options.put(args[i].substring(0, equals), args[i].substring(equals + 1));
            } else if (i + 1 < args.length) {
                options.put(args[i], args[++i]);
            }
        }
        return options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        StandInJail jail = StandInJail.of(System.getenv("FIRECRACKER_STUB_ROOT"));
        String apiSocket = options.getOrDefault("--api-sock", "/run/firecracker.socket");
        Path socket = jail == null ? Path.of(apiSocket) : jail.host(apiSocket);
        var stub = new FirecrackerApiStub(new SwaggerSpec(Path.of(System.getenv("FIRECRACKER_API_SPEC"))), socket,
                options.get("--id"), jail);
        try (var server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(socket));
            while (true) {
                try (var connection = server.accept()) {
                    stub.serve(connection.getInputStream(), connection.getOutputStream());
                } catch (IOException | RuntimeException e) {
                    System.err.println("connection failed: " + e);
                }
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        String[] requestLine = FirecrackerApi.line(in).split(" ");
        int length = 0;
        for (String header = FirecrackerApi.line(in); !header.isEmpty(); header = FirecrackerApi.line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        byte[] raw = in.readNBytes(length);
        String method = requestLine[0];
        String path = requestLine[1];
        JsonNode body = null;
        if (raw.length > 0) {
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                respond(out, 400, fault("unparsable JSON body"));
                return;
            }
        }
        ObjectNode logged = JSON.createObjectNode().put("method", method).put("path", path);
        logged.set("body", body);
        Files.writeString(requests, logged + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        var answer = handle(method, path, body);
        respond(out, answer.status(), answer.body());
    }

    private record Answer(int status, JsonNode body) {}

    private Answer handle(String method, String path, JsonNode body) {
        var operation = spec.operation(method, path);
        if (operation == null) {
            return new Answer(400, fault("Invalid request method and/or path: " + method + " " + path));
        }
        List<String> problems = spec.validateBody(operation, body);
        if (!problems.isEmpty()) {
            return new Answer(400,
                    fault("An error occurred when deserializing the json body of a request: " + problems));
        }
        for (String prefix : List.of("/drives/", "/network-interfaces/")) {
            String idField = prefix.equals("/drives/") ? "drive_id" : "iface_id";
            if (path.startsWith(prefix) && method.equals("PUT")
                    && !path.substring(prefix.length()).equals(body.path(idField).asText())) {
                return new Answer(400, fault("The id from the path does not match the id from the body!"));
            }
        }
        if (method.equals("GET")) {
            return path.equals("/")
                    ? new Answer(200, JSON.createObjectNode().put("id", id).put("state", state)
                            .put("vmm_version", "1.13.0-stub").put("app_name", "Firecracker"))
                    : new Answer(200, JSON.createObjectNode());
        }
        String rule = rule(method, path, body);
        if (rule != null) {
            return new Answer(400, fault(rule));
        }
        return new Answer(spec.successStatus(operation), null);
    }

    /** Firecracker's ordering rules; null when the request may run now, and its effect applied. */
    private String rule(String method, String path, JsonNode body) {
        boolean preBoot = PRE_BOOT.stream().anyMatch(p -> p.endsWith("/") ? path.startsWith(p) : path.equals(p));
        if (preBoot && !state.equals("Not started")) {
            return "The requested operation is not supported after starting the microVM.";
        }
        String unopenable = preBoot || path.startsWith("/snapshot/") ? unopenable(path, body) : null;
        if (unopenable != null) {
            return unopenable;
        }
        if (preBoot) {
            configured = true;
            vm.configure(path, body);
            return null;
        }
        switch (path) {
            case "/actions" -> {
                if (body.path("action_type").asText().equals("InstanceStart")) {
                    if (!state.equals("Not started")) {
                        return "The requested operation is not supported after starting the microVM.";
                    }
                    state = "Running";
                    if (System.getenv("FIRECRACKER_STUB_QEMU") != null) {
                        vm.start();
                    }
                }
                return null;
            }
            case "/vm" -> {
                if (state.equals("Not started")) {
                    return "The requested operation is not supported before starting the microVM.";
                }
                state = body.path("state").asText().equals("Paused") ? "Paused" : "Running";
                return null;
            }
            case "/snapshot/create" -> {
                return state.equals("Paused") ? null : "Cannot save the microVM state: the microVM is not paused.";
            }
            case "/snapshot/load" -> {
                if (configured || !state.equals("Not started")) {
                    return "Loading a microVM snapshot not allowed after configuring boot-specific resources.";
                }
                if (body.has("mem_backend") == body.has("mem_file_path")) {
                    return "exactly one of mem_backend and mem_file_path is required";
                }
                state = body.path("resume_vm").asBoolean() ? "Running" : "Paused";
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A jailed firecracker opens the kernel, initrd and drives as they are named, in its root, as its uid. */
    private String unopenable(String path, JsonNode body) {
        if (jail == null) {
            return null;
        }
        if (path.equals("/boot-source")) {
            for (String field : List.of("kernel_image_path", "initrd_path")) {
                String refusal = body.has(field) ? jail.refusal(body.path(field).asText(), false) : null;
                if (refusal != null) {
                    return "Cannot open the " + field + ": " + refusal;
                }
            }
        } else if (path.startsWith("/drives/")) {
            String refusal = jail.refusal(body.path("path_on_host").asText(), !body.path("is_read_only").asBoolean());
            return refusal == null ? null : "Unable to create the block device: " + refusal;
        } else if (path.equals("/snapshot/create")) {
            for (String field : List.of("snapshot_path", "mem_file_path")) {
                String refusal = jail.refusal(body.path(field).asText(), true);
                if (refusal != null) {
                    return "Cannot create the snapshot's " + field + ": " + refusal;
                }
            }
        } else if (path.equals("/snapshot/load")) {
            for (String file : List.of(body.path("snapshot_path").asText(),
                    body.path("mem_backend").path("backend_path").asText())) {
                String refusal = jail.refusal(file, false);
                if (refusal != null) {
                    return "Cannot load the snapshot from " + file + ": " + refusal;
                }
            }
        }
        return null;
    }

    private static JsonNode fault(String message) {
        return JSON.createObjectNode().put("fault_message", message);
    }

    private static void respond(OutputStream out, int status, JsonNode body) throws IOException {
        byte[] payload = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        String reason = status == 200 ? "OK" : status == 204 ? "No Content" : "Bad Request";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nServer: Firecracker API\r\nConnection: keep-alive\r\n"
                + (payload.length > 0 ? "Content-Type: application/json\r\n" : "")
                + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
    }
}
