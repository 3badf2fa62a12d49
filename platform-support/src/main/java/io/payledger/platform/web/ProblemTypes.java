package io.payledger.platform.web;

import java.net.URI;

/** Stable problem type identifiers shared by every API. Clients may switch on them. */
public final class ProblemTypes {

    /** The request cannot be read: its request line, path, headers, query string or JSON body is malformed. */
    public static final String MALFORMED_REQUEST = "malformed-request";
    public static final String VALIDATION_FAILED = "validation-failed";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String REQUEST_TIMEOUT = "request-timeout";
    public static final String REQUEST_BODY_TOO_LARGE = "request-body-too-large";
    public static final String URI_TOO_LONG = "uri-too-long";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String REQUEST_HEADER_TOO_LARGE = "request-header-too-large";
    public static final String INTERNAL_ERROR = "internal-error";
    public static final String NOT_IMPLEMENTED = "not-implemented";
    public static final String SERVICE_UNAVAILABLE = "service-unavailable";
    public static final String HTTP_VERSION_NOT_SUPPORTED = "http-version-not-supported";

    private static final String PREFIX = "urn:payledger:problem:";

    private ProblemTypes() {
    }

    public static URI uri(String type) {
        return URI.create(PREFIX + type);
    }

    /**
     * The type of an error known only by its status, as the container and the framework raise them. Any
     * other client error means the request could not be read; any other server error is internal.
     */
    public static String forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> REQUEST_BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> REQUEST_HEADER_TOO_LARGE;
            case 501 -> NOT_IMPLEMENTED;
            case 503 -> SERVICE_UNAVAILABLE;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
        };
    }
}
