package io.payledger.platform.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A problem document (RFC 9457) rendered without Spring MVC, for what is refused before a controller
 * runs: by a servlet filter or by the servlet container itself. Same fields as Spring's
 * {@link org.springframework.http.ProblemDetail}, so a client cannot tell which layer answered.
 */
public final class ProblemJson {

    public static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** Container messages may quote the request; a problem's detail stays readable. */
    static final int MAX_DETAIL_LENGTH = 300;

    static final String MALFORMED_REQUEST_TITLE = "Malformed request";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemJson() {
    }

    /** The JSON text of a problem of {@code type} (a {@link ProblemTypes} name). */
    public static String render(int status, String type, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemTypes.uri(type).toString());
        problem.put("title", titleOf(status, type));
        problem.put("status", status);
        problem.put("detail", abbreviate(detail));
        return JSON.writeValueAsString(problem);
    }

    /** Answers the request with the problem; nothing may have been written to the response yet. */
    public static void write(HttpServletResponse response, int status, String type, String detail)
            throws IOException {
        byte[] body = render(status, type, detail).getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The title of a problem type: the status's reason phrase, but one title for malformed requests everywhere. */
    static String titleOf(int status, String type) {
        if (ProblemTypes.MALFORMED_REQUEST.equals(type)) {
            return MALFORMED_REQUEST_TITLE;
        }
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }

    /** What to say of an error when nothing more specific is known than its status. */
    static String genericDetail(int status) {
        if (status == 400) {
            return "The request could not be read: check its request line, its path (percent-encoded UTF-8) "
                    + "and its headers.";
        }
        return "The request was refused: " + titleOf(status, ProblemTypes.forStatus(status)) + ".";
    }

    private static String abbreviate(String detail) {
        if (detail == null) {
            return "";
        }
        return detail.length() <= MAX_DETAIL_LENGTH ? detail : detail.substring(0, MAX_DETAIL_LENGTH - 1) + "…";
    }
}
