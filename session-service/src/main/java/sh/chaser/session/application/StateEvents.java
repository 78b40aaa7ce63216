package sh.chaser.session.application;

import io.smallrye.mutiny.Uni;
import sh.chaser.session.persistence.SessionEntity;

/** Where every status a session takes is published, in the transaction that sets it (the outbox adapter). */
public interface StateEvents {

    Uni<Void> changed(SessionEntity s);
}
