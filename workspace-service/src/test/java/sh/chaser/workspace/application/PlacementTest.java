package sh.chaser.workspace.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.grpc.HostDirectory;

/** Placement alone, with the registry's answer given. */
class PlacementTest {

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

            public Reconcile reconcile() {
                return null;
            }
        };
        return placement;
    }

    @Test
    void aNewDiskGoesToTheHostWithTheMostRoom() {
        var chosen = with(List.of(new HostDirectory.Host("a", "a:1", 5L << 30), new HostDirectory.Host("b", "b:1", 9L << 30),
                new HostDirectory.Host("c", "c:1", 2L << 30))).forNewDisk();
        assertEquals("b", chosen.id());
    }

    @Test
    void noHostWithRoomIsNoCapacity() {
        var e = assertThrows(ServiceException.class, () -> with(List.of(new HostDirectory.Host("a", "a:1", 100L << 20)))
                .forNewDisk());
        assertEquals("no_capacity", e.code().code());
        assertEquals(503, e.code().httpStatus());
        assertEquals("no_capacity", assertThrows(ServiceException.class, () -> with(List.of()).forNewDisk()).code().code());
    }
}
