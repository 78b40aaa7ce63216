package sh.chaser.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.GrpcRefusals;

class AgentFailureTest {

    @Test
    void anAgentsAnswerWithItsCodeIsNeverUnreachableWhateverItsStatus() {
        Metadata trailers = new Metadata();
        trailers.put(GrpcRefusals.CODE, "git_unreachable");
        var answered = AgentFailure
                .of(new StatusRuntimeException(Status.UNAVAILABLE.withDescription("no git server"), trailers));
        assertThat(answered.unreachable()).as("the agent answered; its git server did not").isFalse();
        assertThat(answered.code()).isEqualTo("git_unreachable");
        assertThat(answered.getMessage()).isEqualTo("no git server");
    }

    @Test
    void noAnswerFromTheHostIsUnreachable() {
        // INTERNAL without the agent's code: e.g. "Connection closed after GOAWAY" when HTTP/2 tears the connection down
        for (Status status : new Status[]{ Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.CANCELLED,
                Status.INTERNAL }) {
            var silent = AgentFailure.of(new StatusRuntimeException(status));
            assertThat(silent.unreachable()).as(status.getCode().name()).isTrue();
            assertThat(silent.code()).isEqualTo(status.getCode().name().toLowerCase());
        }
        assertThat(AgentFailure.of(new StatusRuntimeException(Status.UNIMPLEMENTED)).unreachable()).as("an answer")
                .isFalse();
        Metadata trailers = new Metadata();
        trailers.put(GrpcRefusals.CODE, "internal_error");
        assertThat(AgentFailure.of(new StatusRuntimeException(Status.INTERNAL, trailers)).unreachable())
                .as("the agent's own").isFalse();
    }
}
