package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.LocalRegistry;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.VmState;
import sh.chaser.testhost.NeedsTools;

/** Sandboxes from OCI images: pulled from a registry on loopback, unpacked, cached by digest. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
@NeedsTools({ "docker-registry", "skopeo", "umoci" })
class OciImageTest extends SandboxTest {

    static LocalRegistry registry;

    @BeforeAll
    static void registry() throws Exception {
        registry = new LocalRegistry();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private String bootImage(String image) {
        String id = AgentClient.newSessionId();
        var vm = agent.stub()
                .boot(BootRequest.newBuilder().setSessionId(id).setSessionType("sandbox").setImage(image).build());
        assertThat(vm.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
        assertThat(vm.getImage()).isEqualTo(image);
        return id;
    }

    @Test
    void aSandboxRunsFromAnImageTheRegistryServes() throws Exception {
        String image = registry.push("chaser-test/tiny:1.0", "hello from the image\n");
        String first = bootImage(image);
        try {
            assertThat(in(first, "cat /hello.txt").output()).isEqualTo("hello from the image\n");
            assertThat(in(first, "ls /usr/bin").output().lines()).containsExactlyInAnyOrder("bash", "cat", "ls", "sh",
                    "sleep");
        } finally {
            agent.destroy(first);
        }
        // a new push under the same tag is a new digest: the next boot sees it
        registry.push("chaser-test/tiny:1.0", "second build\n");
        String second = bootImage(image);
        try {
            assertThat(in(second, "cat /hello.txt").output()).isEqualTo("second build\n");
        } finally {
            agent.destroy(second);
        }
    }

    @Test
    void unknownImagesAndUnreachableRegistriesAreRefusedWithCodes() {
        assertThatThrownBy(() -> bootImage(registry.reference("chaser-test/missing:1.0")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("image_not_found"));
        assertThatThrownBy(() -> bootImage("127.0.0.1:1/chaser-test/tiny:1.0"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("image_pull_failed"));
    }
}
