package sh.chaser.workspace.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;
import sh.chaser.workspace.config.WorkspaceConfig;

/** Placement alone, with the registry's answer given. */
class PlacementTest {

    private static final List<String> NS = List.of("namespace");

    private static Placement with(List<HostDirectory.Host> live) {
        Placement placement = new Placement();
        placement.hosts = new HostDirectory() {

            @Override
            public List<Host> live() {
                return live;
            }
        };
        placement.config = new WorkspaceConfig() {

            public Placement placement() {
                return () -> 1L << 30;
            }

            public Agents agents() {
                return null;
            }

            public Hosts hosts() {
                return null;
            }

            public Reconcile reconcile() {
                return null;
            }
        };
        return placement;
    }

    @Test
    void aNewDiskGoesToTheHostWithTheMostRoom() {
        var chosen = with(List.of(new HostDirectory.Host("a", "a:1", 5L << 30, NS),
                new HostDirectory.Host("b", "b:1", 9L << 30, NS),
                new HostDirectory.Host("c", "c:1", 2L << 30, NS))).forNewDisk();
        assertEquals("b", chosen.id());
    }

    @Test
    void noHostWithRoomIsNoCapacity() {
        var e = assertThrows(ServiceException.class,
                () -> with(List.of(new HostDirectory.Host("a", "a:1", 100L << 20, NS)))
                        .forNewDisk());
        assertEquals("no_capacity", e.code().code());
        assertEquals(503, e.code().httpStatus());
        assertEquals("no_capacity",
                assertThrows(ServiceException.class, () -> with(List.of()).forNewDisk()).code().code());
    }

    @Test
    void aWorkspaceForOneRuntimeGoesToAHostThatRunsIt() {
        var live = List.of(new HostDirectory.Host("roomy", "a:1", 9L << 30, NS),
                new HostDirectory.Host("vms", "b:1", 3L << 30, List.of("qemu", "namespace")));
        assertEquals("vms", with(live).forNewDisk("qemu").id());
        // positive control: without a runtime the roomiest host takes it
        assertEquals("roomy", with(live).forNewDisk(null).id());
        var none = assertThrows(ServiceException.class, () -> with(live).forNewDisk("firecracker"));
        assertEquals("invalid_request", none.code().code());
        assertEquals("runtime", none.field());
    }
}
