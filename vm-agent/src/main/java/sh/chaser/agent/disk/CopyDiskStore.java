package sh.chaser.agent.disk;

import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;

/** Disks as plain directories: snapshots and clones are full copies ({@code cp -a}), so they grow with size. */
public final class CopyDiskStore extends DiskStore {

    public CopyDiskStore(Path root) {
        super(root);
    }

    @Override
    public String kind() {
        return "copy";
    }

    @Override
    protected void makeEmpty(Path target) {
        mkdirs(target);
    }

    @Override
    protected void copyWritable(Path source, Path target) {
        // the copy dies with the agent: a restarted agent's recovery must not race a copy still running
        Commands.run(List.of("setpriv", "--pdeathsig", "KILL", "cp", "-a", "--reflink=auto", source.toString(),
                target.toString()));
    }

    @Override
    protected void copyReadOnly(Path source, Path target) {
        copyWritable(source, target);
    }

    @Override
    protected void remove(Path path) {
        Files2.deleteRecursively(path);
    }
}
