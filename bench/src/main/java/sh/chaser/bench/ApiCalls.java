package sh.chaser.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user-facing calls {@link ApiLatency} times, through the gateway with the installation's first
 * key, from a lean keep-alive client (as curl; the JDK's client adds milliseconds of its own). Each
 * checks its answer: a benchmark of failed calls measures nothing.
 */
final class ApiCalls implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\"");
    private static final String SANDBOX = "{\"session_type\":\"sandbox\",\"ephemeral\":true}";

    private final KeepAliveClient http;
    private final Map<String, String> headers;

    ApiCalls(LocalInstall local) {
        this.http = new KeepAliveClient(local.apiUrl());
        this.headers = Map.of("Authorization", "Bearer " + local.apiKey(), "Content-Type", "application/json");
    }

    /** An ephemeral sandbox, answered running; its id. */
    String create() throws IOException {
        return id(expect(201, http.post("/v1/sessions", headers, SANDBOX), "\"status\":\"running\""));
    }

    void terminate(String id) throws IOException {
        expect(200, http.send("DELETE", "/v1/sessions/" + id, headers, null), "\"status\":\"terminated\"");
    }

    /** @return the create's and the terminate's milliseconds */
    double[] createThenTerminate() throws Exception {
        String[] id = new String[1];
        double create = LocalInstall.time(() -> id[0] = create());
        return new double[]{ create, LocalInstall.time(() -> terminate(id[0])) };
    }

    double ephemeralExec() throws Exception {
        return LocalInstall.time(() -> expect(200, http.post("/v1/exec", headers, "{\"command\":\"true\"}"),
                "\"exit_code\":0"));
    }

    void bulkTerminate(List<String> ids) throws IOException {
        String body = "{\"ids\":[\"" + String.join("\",\"", ids) + "\"]}";
        expect(200, http.post("/v1/sessions/bulk-terminate", headers, body), "\"failed\":[]");
    }

    String createWorkspace() throws IOException {
        return id(expect(201, http.post("/v1/workspaces", headers, "{\"session_type\":\"sandbox\"}"), "\"id\""));
    }

    String cloneWorkspace(String source) throws IOException {
        return id(expect(201, http.post("/v1/workspaces", headers, "{\"clone_from\":\"" + source + "\"}"), "\"id\""));
    }

    void deleteWorkspace(String id) throws IOException {
        expect(204, http.send("DELETE", "/v1/workspaces/" + id, headers, null), "");
    }

    void snapshot(String workspace, String name) throws IOException {
        expect(201, http.post("/v1/workspaces/" + workspace + "/snapshots", headers, "{\"name\":\"" + name + "\"}"),
                "\"name\"");
    }

    void restore(String workspace, String name) throws IOException {
        expect(200, http.post("/v1/workspaces/" + workspace + "/snapshots/" + name + "/restore", headers, "{}"),
                "\"id\"");
    }

    void deleteSnapshot(String workspace, String name) throws IOException {
        expect(204, http.send("DELETE", "/v1/workspaces/" + workspace + "/snapshots/" + name, headers, null), "");
    }

    private static String expect(int status, KeepAliveClient.Answer answer, String containing) {
        if (answer.status() != status || !answer.body().contains(containing)) {
            throw new IllegalStateException("expected " + status + " with " + containing + ", got " + answer.status()
                    + ": " + answer.body());
        }
        return answer.body();
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
