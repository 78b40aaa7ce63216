package sh.chaser.agent.support;

import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.Limits;

/** A gRPC client to the agent under test; every sandbox a test boots is destroyed after it. */
public abstract class SandboxTest {

    @TestHTTPResource("/")
    protected URL base;
    @Inject
    protected Sandboxes sandboxes;
    protected AgentClient agent;
    protected DisksGrpc.DisksBlockingStub disks;
    private final List<String> booted = new ArrayList<>();

    @BeforeEach
    void connect() {
        agent = new AgentClient(base.getPort());
        disks = DisksGrpc.newBlockingStub(agent.channel()).withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @AfterEach
    void destroyBooted() throws InterruptedException {
        booted.forEach(agent::destroy);
        booted.clear();
        agent.close();
    }

    protected String boot(Limits limits) {
        String id = AgentClient.newSessionId();
        agent.boot(id, limits, "");
        booted.add(id);
        return id;
    }

    protected String boot() {
        return boot(Limits.getDefaultInstance());
    }

    protected Inside.Result in(String id, String script) {
        return Inside.run(sandboxes, id, script);
    }
}
