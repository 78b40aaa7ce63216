package sh.chaser.gateway.domain;

/** The services behind the gateway. */
public enum Backend {

    ACCOUNT("account-service"),
    WORKSPACE("workspace-service"),
    SESSION("session-service"),
    /** The vm-agent that runs the session named in the path (the data plane). */
    HOST("vm-agent"),
    /** Answered by the gateway itself (connect tokens). */
    GATEWAY("api-gateway");

    private final String serviceName;

    Backend(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
