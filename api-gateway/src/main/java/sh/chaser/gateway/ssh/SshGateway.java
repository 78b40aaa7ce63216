package sh.chaser.gateway.ssh;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.gateway.config.GatewayConfig;

/**
 * The SSH port: public-key authentication only (keys from /v1/ssh-keys), the user name is the
 * workspace, a shell or a command runs in its sandbox, and the sftp subsystem (sftp, and scp, which
 * speaks it) is the image's sftp-server there; {@code ssh -L} reaches ports of the sandbox itself
 * ({@link SandboxTcpChannel}). Agent, X11 and remote forwarding are refused.
 */
@ApplicationScoped
public class SshGateway {

    private static final Logger LOG = Logger.getLogger(SshGateway.class);

    @Inject
    GatewayConfig config;
    @Inject
    SshKeyAuthenticator authenticator;
    @Inject
    SshChannels channels;
    @ConfigProperty(name = "quarkus.http.host")
    String bindHost;

    private SshServer server;

    void start(@Observes StartupEvent event) {
        if (!config.ssh().enabled()) {
            return;
        }
        Path hostKey = Path.of(config.ssh().hostKey());
        try {
            server = SshServer.setUpDefaultServer();
            server.setHost(bindHost);
            server.setPort(config.ssh().port());
            server.setKeyPairProvider(HostKeys.load(hostKey));
            server.setPublickeyAuthenticator(authenticator);
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            // remote forwarding (-R), agent and X11 stay refused; -L is our own channel into the sandbox
            server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
            server.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE, SandboxTcpChannel.factory(channels)));
            server.setShellFactory(channel -> new WorkspaceCommand(channels, null));
            server.setCommandFactory((channel, command) -> new WorkspaceCommand(channels, command));
            server.setSubsystemFactories(List.of(new SubsystemFactory() {

                @Override
                public String getName() {
                    return "sftp";
                }

                @Override
                public Command createSubsystem(ChannelSession channel) {
                    return new WorkspaceCommand(channels, WorkspaceCommand.SFTP, true);
                }
            }));
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the SSH gateway could not start on port " + config.ssh().port(), e);
        }
        LOG.infof("SSH gateway on %s:%d (ssh <workspace>@host -p %d)", bindHost, port(), port());
    }

    /** The public half of the host key served from {@code file} (made there first if absent). */
    public static java.security.PublicKey hostKey(Path file) throws IOException {
        try {
            return HostKeys.load(file).loadKeys(null).iterator().next().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** The port it listens on (the configured one, or the one chosen for 0). */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }
}
