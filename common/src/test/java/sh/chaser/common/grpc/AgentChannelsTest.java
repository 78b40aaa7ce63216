package sh.chaser.common.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real gRPC server on loopback: the channel to an agent is dialled by preconnect, before any call. */
class AgentChannelsTest {

    @Test
    void preconnectDialsTheAgentBeforeAnyCallAndAChannelAloneDoesNot() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addTransportFilter(new ServerTransportFilter() {

                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connected.countDown();
                        return attributes;
                    }
                }).build().start();
        AgentChannels channels = new AgentChannels(Optional.empty(), "test");
        try {
            String address = "127.0.0.1:" + server.getPort();
            // the control: a channel that is only made stays idle, and the server sees no connection
            assertEquals(ConnectivityState.IDLE, channels.of(address).getState(false));
            assertEquals(1, connected.getCount());
            channels.preconnect(address);
            assertTrue(connected.await(10, TimeUnit.SECONDS), "the agent saw no connection");
        } finally {
            channels.close();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
