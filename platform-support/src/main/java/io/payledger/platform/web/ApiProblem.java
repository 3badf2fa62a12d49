package io.payledger.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with a stable problem type (RFC 9457) and a message a person can act on.
 * Thrown before anything changes.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private Duration retryAfter;

    public ApiProblem(HttpStatus status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ApiProblem badRequest(String type, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, type, "Invalid request", detail);
    }

    public static ApiProblem notFound(String type, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, type, "Not found", detail);
    }

    public static ApiProblem conflict(String type, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, type, "Conflict", detail);
    }

    public static ApiProblem unprocessable(String type, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, type, "Unprocessable request", detail);
    }

    /** Tells the client when to try again ({@code Retry-After}). */
    public ApiProblem retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    /** The problem type as a URI, e.g. {@code urn:payledger:problem:invalid-amount}. */
    public URI typeUri() {
        return ProblemTypes.uri(type);
    }

    public String title() {
        return title;
    }
}
