package sh.chaser.agent.runtime.firecracker;

import java.util.Map;

/**
 * Firecracker's snapshot requests, as its API documents them: a full snapshot of a paused VM (its
 * device state and a copy of its RAM), loaded only into a firecracker nothing has configured yet.
 * The paths are as the jailed process sees them.
 */
final class FirecrackerSnapshots {

    private FirecrackerSnapshots() {}

    static void pauseVcpus(FirecrackerApi api) {
        api.patch("/vm", Map.of("state", "Paused"));
    }

    static void resumeVcpus(FirecrackerApi api) {
        api.patch("/vm", Map.of("state", "Resumed"));
    }

    static void create(FirecrackerApi api, String statePath, String memoryPath) {
        api.put("/snapshot/create", Map.of("snapshot_type", "Full", "snapshot_path", statePath,
                "mem_file_path", memoryPath));
    }

    /** Loads into a fresh firecracker and runs it (its drives and tap are found again by their snapshot paths). */
    static void load(FirecrackerApi api, String statePath, String memoryPath) {
        api.put("/snapshot/load", Map.of("snapshot_path", statePath,
                "mem_backend", Map.of("backend_type", "File", "backend_path", memoryPath), "resume_vm", true));
    }

    /** Firecracker's word for the VM's state: Not started, Running or Paused. */
    static String state(FirecrackerApi api) {
        return api.get("/").path("state").asText();
    }
}
