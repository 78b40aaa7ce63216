package sh.chaser.session.application;

import sh.chaser.session.persistence.HostEntity;

/** Tells the platform what the registry heard from a host (soft state; the Kafka adapter). */
public interface HostReporter {

    void heard(HostEntity host);
}
