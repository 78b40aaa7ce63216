package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.account.config.AccountConfig;
import sh.chaser.account.domain.PasswordHash;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.common.persistence.AccountLock;
import sh.chaser.common.persistence.MigrateOnStart;

/**
 * On the first start of an empty installation: an administrator with a password, their personal
 * account and a full-access API key. The secrets go to the credentials file (mode 0600), once.
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    @Inject
    AccountConfig config;
    @Inject
    PgUserRepository users;
    @Inject
    CreateUser createUser;
    @Inject
    IssueApiKey issueApiKey;

    void onStart(@Observes @Priority(MigrateOnStart.PRIORITY + 10) StartupEvent event) throws Throwable {
        AccountConfig.Bootstrap bootstrap = config.bootstrap();
        if (!bootstrap.enabled() || bootstrap.credentialsFile().isEmpty()) {
            return;
        }
        String email = bootstrap.adminEmail();
        String password = PasswordHash.randomPassword();
        // replicas start together: one creates the administrator, the others find it
        IssueApiKey.Issued issued = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> AccountLock.holdNamed("chaser.bootstrap-admin").chain(() -> users.findByEmail(email))
                        .flatMap(existing -> existing != null
                                ? Uni.createFrom().<IssueApiKey.Issued>nullItem()
                                : createUser.create(email, password).flatMap(created -> issueApiKey.issue(
                                        created.personalAccount().id, created.user().id, "bootstrap", List.of())))));
        if (issued == null) {
            LOG.infof("Administrator %s already exists", email);
            return;
        }
        writeCredentials(Path.of(bootstrap.credentialsFile().get()), email, password, issued.secret().value());
        LOG.infof("Created administrator %s with a full-access API key %s; credentials written to %s",
                email, issued.secret().displayPrefix() + "…", bootstrap.credentialsFile().get());
    }

    private static void writeCredentials(Path file, String email, String password, String key) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "CHASER_ADMIN_EMAIL=" + email + "\nCHASER_ADMIN_PASSWORD=" + password
                + "\nCHASER_API_KEY=" + key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    }
}
