package sh.chaser.agent.guest;

import java.io.IOException;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;

/** The guest agent's refusals as the vm-agent's errors; a guest that does not answer is an internal error. */
public final class GuestErrors {

    private GuestErrors() {}

    /** A call into a guest. */
    @FunctionalInterface
    public interface Call<T> {

        T run() throws IOException;
    }

    public static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (GuestException e) {
            throw of(e);
        } catch (IOException e) {
            throw AgentError.INTERNAL.exception("the sandbox's agent did not answer: " + e.getMessage());
        }
    }

    /** A failed asynchronous call into a guest as the vm-agent's error (as {@link #call} maps it). */
    public static RuntimeException ofFailure(Throwable failure) {
        if (failure instanceof GuestException e) {
            return of(e);
        }
        if (failure instanceof AgentException e) {
            return e;
        }
        return AgentError.INTERNAL.exception("the sandbox's agent did not answer: " + failure.getMessage());
    }

    public static AgentException of(GuestException e) {
        AgentError error = switch (e.code()) {
            case "invalid_request" -> AgentError.INVALID_REQUEST;
            case "path_not_allowed" -> AgentError.PATH_NOT_ALLOWED;
            case "file_not_found" -> AgentError.FILE_NOT_FOUND;
            case "file_too_large" -> AgentError.PAYLOAD_TOO_LARGE;
            case "command_not_found" -> AgentError.COMMAND_NOT_FOUND;
            case "pty_not_found" -> AgentError.PTY_NOT_FOUND;
            case "command_not_running" -> AgentError.INVALID_REQUEST;
            case "port_not_listening" -> AgentError.PORT_NOT_LISTENING;
            default -> AgentError.INTERNAL;
        };
        return error.exception(
                error == AgentError.INTERNAL ? "the sandbox's agent refused: " + e.getMessage() : e.getMessage());
    }
}
