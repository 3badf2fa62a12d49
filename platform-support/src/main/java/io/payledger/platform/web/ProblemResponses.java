package io.payledger.platform.web;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every refusal into {@code application/problem+json} with a stable type. Framework errors (bad
 * JSON, missing header, unknown path) get types too, and nothing unexpected leaks as a stack trace.
 * The content type is set, not negotiated: a client that accepts only {@code text/html} still gets
 * the problem, never an error page. Services register a {@code @ControllerAdvice} subclass in their
 * web configuration; a service without one gets one from {@link PlatformWebAutoConfiguration}.
 */
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(ApiProblem.class)
    public ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(problem.typeUri());
        body.setTitle(problem.title());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.retryAfter().ifPresent(delay ->
                response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, delay.toSeconds()))));
        return response.body(body);
    }

    /** Tomcat parses the query string on first use and throws when it is not valid percent-encoded UTF-8. */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<ProblemDetail> invalidQueryString(InvalidParameterException e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The query string is not valid: each name and value must be percent-encoded UTF-8 "
                        + "(a '%' followed by two hexadecimal digits).");
        body.setType(ProblemTypes.uri(ProblemTypes.MALFORMED_REQUEST));
        body.setTitle(ProblemJson.MALFORMED_REQUEST_TITLE);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error serving a request", e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be completed; it is safe to retry with the same Idempotency-Key.");
        body.setType(ProblemTypes.uri(ProblemTypes.INTERNAL_ERROR));
        return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        RequestBodyTooLargeException tooLarge = causeOf(ex, RequestBodyTooLargeException.class);
        if (tooLarge != null) {
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                    RequestBodyLimitFilter.detail(tooLarge.limitBytes()));
            body.setType(ProblemTypes.uri(ProblemTypes.REQUEST_BODY_TOO_LARGE));
            return handleExceptionInternal(ex, body, headers, HttpStatus.CONTENT_TOO_LARGE, request);
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON for this endpoint: " + unreadableBecause(ex));
        body.setType(ProblemTypes.uri(ProblemTypes.MALFORMED_REQUEST));
        body.setTitle(ProblemJson.MALFORMED_REQUEST_TITLE);
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        // Spring calls every unmapped path a missing static resource; this API serves none.
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "There is no endpoint " + ex.getHttpMethod() + " /" + ex.getResourcePath() + ".");
        body.setType(ProblemTypes.uri(ProblemTypes.NOT_FOUND));
        return handleExceptionInternal(ex, body, headers, HttpStatus.NOT_FOUND, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        // The framework fills in the body of its own exceptions here, so the type is added afterwards.
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null || !(response.getBody() instanceof ProblemDetail problem)) {
            return response;
        }
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            int status = response.getStatusCode().value();
            String type = ProblemTypes.forStatus(status);
            problem.setType(ProblemTypes.uri(type));
            problem.setTitle(ProblemJson.titleOf(status, type));
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Why Jackson could not read the body, in words a client can act on, without a source location. */
    static String unreadableBecause(HttpMessageNotReadableException ex) {
        MismatchedInputException mismatch = causeOf(ex, MismatchedInputException.class);
        if (mismatch != null && mismatch.getTargetType() == String.class && !mismatch.getPath().isEmpty()) {
            // A number or boolean where text is expected: amounts are decimal strings, never JSON numbers.
            return fieldPath(mismatch) + " must be a JSON string";
        }
        JacksonException jackson = causeOf(ex, JacksonException.class);
        if (jackson != null) {
            return firstLine(jackson.getOriginalMessage());
        }
        Throwable cause = ex.getMostSpecificCause();
        return firstLine(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    /** The field a binding error is about, e.g. {@code amount} or {@code items[2].name}. */
    static String fieldPath(JacksonException error) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : error.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
