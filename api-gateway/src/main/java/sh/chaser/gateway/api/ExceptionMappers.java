package sh.chaser.gateway.api;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import sh.chaser.gateway.domain.ApiException;
import sh.chaser.gateway.domain.ErrorCode;

/** Every failure leaves as the envelope; no internal exception text reaches a client. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext ctx) {
        return ErrorEnvelope.response(e.code(), e.getMessage(), RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext ctx) {
        return ErrorEnvelope.response(ErrorCode.NOT_FOUND, "no such route: " + ctx.request().path(), RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, RoutingContext ctx) {
        return ErrorEnvelope.response(ErrorCode.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path(), RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, RoutingContext ctx) {
        int status = e.getResponse().getStatus();
        ErrorCode code = status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
        return ErrorEnvelope.response(code, status < 500 ? "the request could not be read" : "internal error",
                RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext ctx) {
        LOG.errorf(e, "request %s failed", RequestIds.of(ctx));
        return ErrorEnvelope.response(ErrorCode.INTERNAL, "internal error", RequestIds.of(ctx));
    }
}
