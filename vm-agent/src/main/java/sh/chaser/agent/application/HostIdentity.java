package sh.chaser.agent.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.proto.session.v1.HostCapacity;

/** Who this host is and what it can run, as reported to the registry. */
@ApplicationScoped
public class HostIdentity {

    @Inject
    AgentConfig config;

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    public String hostId() {
        return config.hostId().filter(id -> !id.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }

    public String grpcAddress() {
        return config.advertiseAddress().orElse(httpHost + ":" + httpPort);
    }

    public HostCapacity capacity(int sandboxesRunning) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        File data = new File(config.dataDir());
        data.mkdirs();
        return HostCapacity.newBuilder()
                .setCpus(Runtime.getRuntime().availableProcessors())
                .setMemoryBytes(os.getTotalMemorySize())
                .setDiskFreeBytes(data.getUsableSpace())
                .setSandboxesRunning(sandboxesRunning)
                .setSandboxesMax(config.sandboxesMax())
                .build();
    }
}
