package sh.chaser.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.CloneDiskRequest;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.SnapshotRef;

/**
 * Snapshot, restore and clone of a workspace disk through the vm-agent's Disks API at 10 MiB,
 * 1 GiB and 4 GiB of mixed-size files, next to {@code cp -a} of the same tree in the same run.
 */
public final class DiskSnapshots {

    private static final String HELP = """
            Usage: bench/disk-snapshots [--sizes-mib 10,1024,4096] [--repeat N]

            Needs a running platform (./chaser up) and root (it fills the disk through the agent's
            data directory). Prints p50 of snapshot, restore and clone per size, and cp -a of the same tree.
            """;
    private static final int[] FILE_SIZES = { 4 << 10, 64 << 10, 1 << 20, 8 << 20 };

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int repeat = LocalInstall.option(a, "--repeat", 5);
        String sizes = a.contains("--sizes-mib") ? a.get(a.indexOf("--sizes-mib") + 1) : "10,1024,4096";
        LocalInstall local = LocalInstall.read();
        Path home = local.home();
        var channel = local.agentChannel(InternalCallers.WORKSPACE);
        var disks = DisksGrpc.newBlockingStub(channel);
        Path store = home.resolve("agent/disk-store/disks");
        System.out.printf("%8s %8s %12s %12s %12s %12s%n", "size", "files", "snapshot", "restore", "clone", "cp -a");
        for (String size : sizes.split(",")) {
            long bytes = Long.parseLong(size) << 20;
            String disk = "bench-" + size + "-" + System.nanoTime();
            var created = disks.withDeadlineAfter(60, TimeUnit.SECONDS).createDisk(
                    CreateDiskRequest.newBuilder().setDiskId(disk).build());
            int files = fill(store.resolve(disk), bytes);
            double[] snapshot = new double[repeat];
            double[] restore = new double[repeat];
            double[] clone = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                var ref = SnapshotRef.newBuilder().setDiskId(disk).setName("s" + i).build();
                snapshot[i] = LocalInstall
                        .time(() -> disks.withDeadlineAfter(600, TimeUnit.SECONDS).createSnapshot(ref));
                restore[i] = LocalInstall
                        .time(() -> disks.withDeadlineAfter(600, TimeUnit.SECONDS).restoreSnapshot(ref));
                String copy = disk + "-c" + i;
                clone[i] = LocalInstall.time(() -> disks.withDeadlineAfter(600, TimeUnit.SECONDS).cloneDisk(
                        CloneDiskRequest.newBuilder().setSourceDiskId(disk).setDiskId(copy).build()));
                disks.deleteDisk(DiskRef.newBuilder().setDiskId(copy).build());
            }
            Path target = Files.createTempDirectory(home, "cp-a");
            double cp = LocalInstall
                    .time(() -> run("cp", "-a", store.resolve(disk).toString(), target.resolve("copy").toString()));
            run("rm", "-rf", target.toString());
            disks.withDeadlineAfter(600, TimeUnit.SECONDS).deleteDisk(DiskRef.newBuilder().setDiskId(disk).build());
            System.out.printf("%6s M %8d %9.1f ms %9.1f ms %9.1f ms %9.1f ms   (%s store)%n", size, files,
                    LocalInstall.percentile(snapshot, 50), LocalInstall.percentile(restore, 50),
                    LocalInstall.percentile(clone, 50), cp, created.getStore());
        }
        channel.shutdownNow();
    }

    /** Files of 4 KiB to 8 MiB, in nested directories, until {@code total} bytes. */
    static int fill(Path disk, long total) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[8 << 20];
        random.nextBytes(block);
        long written = 0;
        int count = 0;
        while (written < total) {
            int size = (int) Math.min(FILE_SIZES[random.nextInt(FILE_SIZES.length)], total - written);
            Path dir = Files.createDirectories(disk.resolve("d" + (count / 100)));
            try (OutputStream out = Files.newOutputStream(dir.resolve("f" + count))) {
                out.write(block, 0, size);
            }
            written += size;
            count++;
        }
        return count;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
