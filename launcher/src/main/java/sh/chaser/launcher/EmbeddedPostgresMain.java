package sh.chaser.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.util.concurrent.CountDownLatch;

/**
 * Runs PostgreSQL from the binaries in the zonky jar, with its data kept in the given directory,
 * until this JVM gets SIGTERM; then PostgreSQL is stopped cleanly.
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {}

    public static void main(String[] args) throws Exception {
        File data = new File(args[0]);
        int port = Integer.parseInt(args[1]);
        data.getParentFile().mkdirs();
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(new File(data.getParentFile(), "postgres-binaries"))
                .setPort(port)
                .start();
        System.out.println("embedded PostgreSQL listening on 127.0.0.1:" + port + ", data in " + data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.out.println("embedded PostgreSQL stopped");
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
