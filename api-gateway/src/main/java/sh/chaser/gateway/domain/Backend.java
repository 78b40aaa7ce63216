package sh.chaser.gateway.domain;

/** The services behind the gateway. */
public enum Backend {
    ACCOUNT("account-service"),
    WORKSPACE("workspace-service"),
    SESSION("session-service");

    private final String serviceName;

    Backend(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
