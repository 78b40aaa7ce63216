package sh.chaser.workspace.application;

import io.vertx.pgclient.PgException;

/** Recognises a unique index refusing a row, which is how names stay unique under concurrency. */
final class UniqueViolations {

    private UniqueViolations() {}

    static boolean of(Throwable failure, String index) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())
                    && (index == null || index.equals(pg.getConstraint()))) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv && "23505".equals(cv.getSQLState())
                    && (index == null || index.equals(cv.getConstraintName())
                            || String.valueOf(cv.getMessage()).contains("\"" + index + "\""))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
