package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class PgUserIdentityRepository implements PanacheRepositoryBase<UserIdentityEntity, UserIdentityEntity.Key> {}
