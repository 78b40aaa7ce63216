package sh.chaser.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import sh.chaser.common.messaging.RefusalRecorder;
import sh.chaser.common.security.InternalCaller;

/** Every failure of a service's REST API leaves as the envelope; internal text never does. */
public class ServiceExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ServiceExceptionMappers.class);

    @Inject
    RefusalRecorder refusals;
    @Inject
    InternalCaller caller;

    @ServerExceptionMapper
    public Response catalogued(ServiceException e, HttpServerRequest request) {
        if (e.code().httpStatus() == 403) {
            refusals.refused(caller.accountId().toString(), caller.isUser() ? "user" : "service_account",
                    caller.principalId().toString(), request.method().name(), request.path(), e.code().code(),
                    requestId(request));
        }
        return ErrorEnvelope.response(e.code().httpStatus(), e.code().code(), e.getMessage(), requestId(request),
                e.field(),
                e instanceof LimitExceeded l ? l.limit() : null);
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return ErrorEnvelope.response(401, "unauthorized", "a valid internal token from the gateway is required",
                requestId(request), null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        refusals.refused(null, null, null, request.method().name(), request.path(), "forbidden", requestId(request));
        return ErrorEnvelope.response(403, "forbidden", "your role does not allow this", requestId(request), null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return ErrorEnvelope.response(404, "not_found", "no such route: " + request.path(), requestId(request), null);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        return ErrorEnvelope.response(405, "method_not_allowed",
                request.method() + " is not allowed on " + request.path(),
                requestId(request), null);
    }

    /**
     * A field of the wrong type ({@code "count": "two"}): quarkus-rest-jackson's own mapper for it answers
     * 400 with no body, so it is taken here, as any other unreadable body.
     */
    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e,
            HttpServerRequest request) {
        return unreadable(e, request);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, HttpServerRequest request) {
        return ErrorEnvelope.response(400, "invalid_request", "the body is not valid JSON of the expected shape",
                requestId(request), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status == 415) {
            return ErrorEnvelope.response(400, "invalid_request",
                    "send the body as JSON with Content-Type: application/json",
                    requestId(request), null);
        }
        if (status < 500) {
            return ErrorEnvelope.response(400, "invalid_request", "the request could not be read", requestId(request),
                    null);
        }
        LOG.errorf(e, "request %s failed", requestId(request));
        return ErrorEnvelope.response(500, "internal_error", "internal error", requestId(request), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "request %s failed", requestId(request));
        return ErrorEnvelope.response(500, "internal_error", "internal error", requestId(request), null);
    }

    static String requestId(HttpServerRequest request) {
        String id = request.getHeader(ErrorEnvelope.REQUEST_ID);
        return id == null ? "" : id;
    }
}
