package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant's files as the host sees them: another host user (nobody) cannot list or read them, and a
 * setuid program a tenant leaves in its workspace gives nobody on the host its owner's id. Each
 * check sits beside a control that shows the probe sees the difference.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostDataIT {

    /** The shared platform's per-disk cap. */
    static final long CAP_BYTES = 512L << 20;

    private Sessions sessions;
    private Shell shell;
    private String id;
    private Path scratch;
    private Path agentData;

    @BeforeAll
    void up() throws Exception {
        Api api = new Api(SharedPlatform.get().apiUrl());
        sessions = new Sessions(api, SharedPlatform.credentials().get("CHASER_API_KEY"));
        id = sessions.ephemeralSandbox().get("id").asText();
        var made = sessions.exec(id, "echo tenant-secret > /workspace/secret.txt && cp /bin/bash /workspace/suid-bash"
                + " && chmod u+s /workspace/suid-bash && stat -c %A /workspace/suid-bash");
        assertEquals(200, made.status(), made.body().toString());
        assertEquals("-rwsr-xr-x", made.body().get("output").asText().strip(), "the tenant made a setuid file");
        scratch = SharedPlatform.get().scratch(id);
        agentData = scratch.getParent().getParent().getParent();
        shell = new Shell(Map.of("SCRATCH", scratch.toString(), "DATA", agentData.toString()));
    }

    @AfterAll
    void down() throws Exception {
        if (id != null) {
            sessions.terminate(id, true);
        }
    }

    /** The exit status of a command run as the host user nobody. */
    private String asNobody(String command) throws Exception {
        return shell.run("runuser -u nobody -- bash -c '" + command + "' >/dev/null 2>&1; echo $?").strip();
    }

    @Test
    void anotherHostUserListsAndReadsNoTenantData() throws Exception {
        assertEquals("0", asNobody("ls / && cat /etc/hostname"),
                "positive control: nobody lists and reads what is public");
        assertEquals("tenant-secret\n", Files.readString(scratch.resolve("secret.txt")),
                "positive control: the file is there");
        assertTrue(!"0".equals(asNobody("ls $DATA/sandboxes")), "nobody lists the sandboxes");
        assertTrue(!"0".equals(asNobody("ls $DATA/disk-store/disks")), "nobody lists the workspaces");
        assertTrue(!"0".equals(asNobody("cat $SCRATCH/secret.txt")), "nobody reads a tenant's file");
        assertTrue(!"0".equals(asNobody("ls $DATA/commands")), "nobody lists background commands' output");
        assertEquals("rwx--x--x", perms(agentData));
        assertEquals("rwx------", perms(scratch));
    }

    @Test
    void aTenantsSetuidProgramIsInertOnTheHost() throws Exception {
        // the image cache is the default one: the launcher leaves chaser.agent.images.cache-dir alone
        for (Path tree : java.util.List.of(scratch, agentData.resolve("disk-store"),
                Path.of("/var/cache/chaser/images"))) {
            String options = shell.run("findmnt -n -o OPTIONS --target " + tree).strip();
            assertTrue(options.contains("nosuid") && options.contains("nodev"), tree + " is mounted " + options);
        }
        // run by root on the host, setuid to the tenant's id would make the euid the sandbox user's
        assertEquals("0", shell.run("$SCRATCH/suid-bash -p -c 'id -u'").strip(),
                "the setuid bit took effect on the host");
        Path copy = Files.createTempDirectory("host-data-it").resolve("suid-bash");
        try {
            // positive control: the same file where setuid is honoured changes the euid
            shell.run("cp -p $SCRATCH/suid-bash " + copy);
            assertEquals("2000001000", shell.run(copy + " -p -c 'id -u'").strip());
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        }
    }

    @Test
    void anEphemeralSandboxsScratchSpaceIsCapped() throws Exception {
        var small = sessions.exec(id, "head -c 16M /dev/zero > /workspace/small && echo written");
        assertEquals("written\n", small.body().get("output").asText(), "positive control: the sandbox writes");
        var flood = sessions.exec(id,
                "head -c " + (CAP_BYTES + (64L << 20)) + " /dev/zero > /workspace/flood; echo exit=$?;"
                        + " rm -f /workspace/flood /workspace/small");
        String output = flood.body().get("output").asText();
        assertTrue(output.contains("Disk quota exceeded") && !output.contains("exit=0"), output);
    }

    private static String perms(Path path) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
