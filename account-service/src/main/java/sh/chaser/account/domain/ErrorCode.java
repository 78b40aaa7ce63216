package sh.chaser.account.domain;

import io.grpc.Status;
import sh.chaser.common.api.CatalogCode;

/** account-service's error catalogue: stable code, HTTP status, gRPC status. */
public enum ErrorCode implements CatalogCode {
    INVALID_REQUEST("invalid_request", 400, Status.Code.INVALID_ARGUMENT),
    UNAUTHORIZED("unauthorized", 401, Status.Code.UNAUTHENTICATED),
    FORBIDDEN("forbidden", 403, Status.Code.PERMISSION_DENIED),
    ACCOUNT_MISMATCH("account_mismatch", 403, Status.Code.PERMISSION_DENIED),
    INSUFFICIENT_SCOPE("insufficient_scope", 403, Status.Code.PERMISSION_DENIED),
    ACCOUNT_NOT_FOUND("account_not_found", 404, Status.Code.NOT_FOUND),
    API_KEY_NOT_FOUND("api_key_not_found", 404, Status.Code.NOT_FOUND),
    MEMBER_NOT_FOUND("member_not_found", 404, Status.Code.NOT_FOUND),
    WEBHOOK_NOT_FOUND("webhook_not_found", 404, Status.Code.NOT_FOUND),
    SERVICE_ACCOUNT_NOT_FOUND("service_account_not_found", 404, Status.Code.NOT_FOUND),
    LAST_OWNER("last_owner", 409, Status.Code.FAILED_PRECONDITION),
    ALREADY_MEMBER("already_member", 409, Status.Code.ALREADY_EXISTS),
    ACCOUNT_NAME_TAKEN("account_name_taken", 409, Status.Code.ALREADY_EXISTS),
    INTERNAL("internal_error", 500, Status.Code.INTERNAL);

    private final String code;
    private final int httpStatus;
    private final Status.Code grpcStatus;

    ErrorCode(String code, int httpStatus, Status.Code grpcStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.grpcStatus = grpcStatus;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public Status.Code grpcStatus() {
        return grpcStatus;
    }
}
