package sh.chaser.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The workspace half of {@link ApiLatency}: create and delete of empty workspaces, then snapshot,
 * restore, clone, snapshot delete and delete of a clone on a workspace holding {@code sizeMib},
 * each beside the same Disks call on a disk holding the same, alternately.
 */
final class WorkspaceLatency {

    private final ApiCalls api;
    private final AgentCalls agent;
    private final Path disks;
    private final long bytes;

    WorkspaceLatency(LocalInstall local, ApiCalls api, AgentCalls agent, int sizeMib) {
        this.api = api;
        this.agent = agent;
        this.disks = local.home().resolve("agent/disk-store/disks");
        this.bytes = (long) sizeMib << 20;
    }

    void measure(int runs, int warmup, List<ApiLatency.Row> rows) throws Exception {
        List<String> made = new ArrayList<>();
        List<String> floors = new ArrayList<>();
        String[] one = new String[1];
        double first = LocalInstall.time(() -> one[0] = api.createWorkspace());
        api.deleteWorkspace(one[0]);
        System.out.printf("first workspace create of this run: %.1f ms%n", first);
        rows.add(ApiLatency.alternate("POST /v1/workspaces", "CreateDisk", runs, warmup,
                () -> LocalInstall.time(() -> made.add(api.createWorkspace())),
                () -> LocalInstall.time(() -> floors.add(created()))));
        rows.add(ApiLatency.alternate("DELETE /v1/workspaces/{id} (empty)", "DeleteDisk", runs, warmup,
                () -> LocalInstall.time(() -> api.deleteWorkspace(made.remove(0))),
                () -> LocalInstall.time(() -> agent.deleteDisk(floors.remove(0)))));
        floors.forEach(agent::deleteDisk);

        String workspace = api.createWorkspace();
        String disk = created();
        System.out.printf("filling workspace %s and disk %s with %d MiB each...%n", workspace, disk, bytes >> 20);
        DiskSnapshots.fill(disks.resolve(workspace), bytes);
        DiskSnapshots.fill(disks.resolve(disk), bytes);
        String size = " (" + (bytes >> 20) + " MiB)";
        try {
            int[] n = { 0, 0 };
            rows.add(ApiLatency.alternate("snapshot" + size, "CreateSnapshot", runs, warmup,
                    () -> LocalInstall.time(() -> api.snapshot(workspace, "s" + n[0]++)),
                    () -> LocalInstall.time(() -> agent.snapshot(disk, "s" + n[1]++))));
            int[] r = { 0, 0 };
            rows.add(ApiLatency.alternate("restore" + size, "RestoreSnapshot", runs, warmup,
                    () -> LocalInstall.time(() -> api.restore(workspace, "s" + r[0]++)),
                    () -> LocalInstall.time(() -> agent.restore(disk, "s" + r[1]++))));
            // each clone deleted before the next: 1 GiB clones would soon fill the account's storage limit
            double[][] clone = new double[4][runs];
            for (int i = -warmup; i < runs; i++) {
                String[] pair = new String[2];
                double[] t = { LocalInstall.time(() -> pair[0] = api.cloneWorkspace(workspace)),
                        LocalInstall.time(() -> pair[1] = cloned(disk)),
                        LocalInstall.time(() -> api.deleteWorkspace(pair[0])),
                        LocalInstall.time(() -> agent.deleteDisk(pair[1])) };
                for (int k = 0; i >= 0 && k < 4; k++) {
                    clone[k][i] = t[k];
                }
            }
            rows.add(new ApiLatency.Row("clone" + size, "CloneDisk", clone[0], clone[1]));
            rows.add(new ApiLatency.Row("DELETE /v1/workspaces/{id} (a clone)", "DeleteDisk", clone[2], clone[3]));
            int[] d = { 0, 0 };
            rows.add(ApiLatency.alternate("DELETE snapshot", "DeleteSnapshot", runs + warmup, 0,
                    () -> LocalInstall.time(() -> api.deleteSnapshot(workspace, "s" + d[0]++)),
                    () -> LocalInstall.time(() -> agent.deleteSnapshot(disk, "s" + d[1]++))));
        } finally {
            api.deleteWorkspace(workspace);
            agent.deleteDisk(disk);
        }
    }

    private String created() {
        String id = "bench-" + UUID.randomUUID();
        agent.createDisk(id);
        return id;
    }

    private String cloned(String source) {
        String id = "bench-" + UUID.randomUUID();
        agent.cloneDisk(source, id);
        return id;
    }
}
