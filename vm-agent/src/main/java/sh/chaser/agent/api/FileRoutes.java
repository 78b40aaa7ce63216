package sh.chaser.agent.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.files.SandboxFiles;
import sh.chaser.agent.guest.GuestErrors;
import sh.chaser.agent.guest.GuestException;
import sh.chaser.agent.guest.GuestStreams;

/**
 * Upload and download ({@code ?path=}), 16 MiB each way. A multipart upload ({@code path} +
 * {@code file}, in either order) is spooled to the host first, counted and hashed on the way, and
 * written into the sandbox only once it is whole and within the limit. A raw upload
 * ({@code application/octet-stream}, {@code ?path=}) is streamed straight into the guest agent, which
 * hashes and caps it and renames it into place only once whole.
 */
@ApplicationScoped
public class FileRoutes {

    private static final String BASE = sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + ":sid";

    @Inject
    SandboxFiles files;
    @Inject
    AgentConfig config;
    @Inject
    GuestStreams streams;

    void install(@Observes Router router) {
        router.post(BASE + "/upload").handler(this::upload);
        router.put(BASE + "/upload").handler(this::upload);
        router.get(BASE + "/download").handler(this::download);
    }

    /** Streams the guest's answer to the caller: a guest that stops before its length resets the answer. */
    void download(RoutingContext ctx) {
        String path = ctx.queryParams().get("path");
        ctx.vertx().executeBlocking(() -> files.guest(CommandRoutes.sid(ctx), path).address(), false)
                .compose(guest -> streams.get(guest, path))
                .onSuccess(answer -> {
                    HttpServerResponse response = ctx.response().putHeader("Content-Type", "application/octet-stream")
                            .putHeader("X-Chaser-Path", answer.getHeader("X-Chaser-Path") == null
                                    ? path
                                    : answer.getHeader("X-Chaser-Path"));
                    String length = answer.getHeader("Content-Length");
                    if (length != null) {
                        response.putHeader("Content-Length", length);
                    }
                    response.closeHandler(v -> answer.request().reset());
                    answer.pipe().endOnFailure(false).to(response).onFailure(failure -> {
                        if (!response.ended()) {
                            response.reset();
                        }
                    });
                })
                .onFailure(failure -> Answers.failure(ctx, failure instanceof GuestException e
                        ? GuestErrors.of(e)
                        : failure));
    }

    void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Content-Length");
        if (length != null && Long.parseLong(length) > SandboxFiles.MAX_BYTES + 64 * 1024) {
            Answers.error(ctx, AgentError.PAYLOAD_TOO_LARGE, "uploads are at most 16 MiB");
            request.connection().close();
            return;
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("application/octet-stream")) {
            raw(ctx);
            return;
        }
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            Answers.error(ctx, AgentError.INVALID_REQUEST, "send multipart/form-data with the fields path and file,"
                    + " or the file's bytes as application/octet-stream with ?path=");
            return;
        }
        Spool spool = new Spool(spoolFile());
        request.setExpectMultipart(true);
        request.uploadHandler(part -> {
            if (!"file".equals(part.name())) {
                part.handler(ignored -> {});
                return;
            }
            spool.started = true;
            part.handler(spool::write);
            part.endHandler(v -> spool.whole = true);
        });
        request.exceptionHandler(failure -> spool.discard());
        request.endHandler(done -> {
            spool.close();
            String path = request.formAttributes().get("path");
            if (spool.tooLarge) {
                spool.discard();
                Answers.error(ctx, AgentError.PAYLOAD_TOO_LARGE, "uploads are at most 16 MiB");
                return;
            }
            if (!spool.started) {
                spool.discard();
                Answers.error(ctx, AgentError.INVALID_REQUEST, "the multipart field file is required");
                return;
            }
            if (!spool.whole) {
                spool.discard();
                Answers.error(ctx, AgentError.INVALID_REQUEST, "the multipart body ended inside the file");
                return;
            }
            Answers.blocking(ctx, () -> {
                try {
                    return files.write(CommandRoutes.sid(ctx), path, spool.file);
                } finally {
                    spool.discard();
                }
            }, written -> Answers.json(ctx, 200, new JsonObject().put("path", written).put("size", spool.size)
                    .put("sha256", spool.sha256())));
        });
    }

    void raw(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.queryParams().get("path");
        String length = request.getHeader("Content-Length");
        if (length != null && Long.parseLong(length) > SandboxFiles.MAX_BYTES) {
            Answers.error(ctx, AgentError.PAYLOAD_TOO_LARGE, "uploads are at most 16 MiB");
            drain(request);
            return;
        }
        request.pause();
        ctx.vertx().executeBlocking(() -> files.guest(CommandRoutes.sid(ctx), path).address(), false)
                .compose(guest -> streams.put(guest, path, request, length))
                .onSuccess(written -> Answers.json(ctx, 200, written))
                .onFailure(failure -> {
                    Answers.failure(ctx, failure instanceof GuestException e ? GuestErrors.of(e) : failure);
                    drain(request);
                });
    }

    /**
     * Reads and drops what is left of a refused upload's body so the answer reaches the caller (closing
     * at once can reset the connection before it reads the answer); past 16 MiB more, it is closed.
     */
    private static void drain(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        long[] dropped = new long[1];
        request.handler(bytes -> {
            dropped[0] += bytes.length();
            if (dropped[0] > SandboxFiles.MAX_BYTES) {
                request.connection().close();
            }
        });
        request.exceptionHandler(ignored -> {});
        request.endHandler(ignored -> {});
        request.resume();
    }

    private Path spoolFile() {
        try {
            Path dir = Files.createDirectories(Path.of(config.dataDir(), "uploads"));
            return Files.createTempFile(dir, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file part on its way to the host's disk: counted, hashed, cut off past the limit. */
    private static final class Spool {

        final Path file;
        final MessageDigest digest;
        OutputStream out;
        long size;
        boolean tooLarge;
        boolean started;
        boolean whole;

        Spool(Path file) {
            this.file = file;
            try {
                this.out = new FileOutputStream(file.toFile());
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void write(io.vertx.core.buffer.Buffer buffer) {
            size += buffer.length();
            if (size > SandboxFiles.MAX_BYTES) {
                tooLarge = true;
                return;
            }
            byte[] bytes = buffer.getBytes();
            digest.update(bytes);
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            try {
                out.close();
            } catch (IOException ignored) {
                // discarded below
            }
        }

        void discard() {
            close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next start's sweep would find it
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

}
