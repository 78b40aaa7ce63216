package sh.chaser.gateway.ssh;

/** Why an SSH channel cannot go on: a stable code and a message for the user's terminal. */
final class SshRefusal extends Exception {

    private final String code;

    SshRefusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
