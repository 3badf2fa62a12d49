package io.payledger.platform.web;

import java.net.URI;

/** Stable problem type identifiers shared by every API. Clients may switch on them. */
public final class ProblemTypes {

    public static final String MALFORMED_REQUEST = "malformed-request";
    public static final String VALIDATION_FAILED = "validation-failed";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String INTERNAL_ERROR = "internal-error";

    private static final String PREFIX = "urn:payledger:problem:";

    private ProblemTypes() {
    }

    public static URI uri(String type) {
        return URI.create(PREFIX + type);
    }
}
