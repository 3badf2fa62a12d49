package io.payledger.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's error report as a problem (RFC 9457) instead of its HTML page. Tomcat answers some requests
 * itself, before any application code runs: a request line or header it cannot parse, headers over
 * the size limit, a path it will not map ({@code %00}, a malformed escape, an encoded {@code /}, a
 * {@code ..} segment), an unsupported HTTP version or transfer encoding. This valve renders those, and
 * anything else that reaches the host without a body, with the status's stable problem type.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** Tomcat's own (localized) message for headers over the limit; it sets only a 400 for them. */
    private static final String HEADER_TOO_LARGE =
            StringManager.getManager("org.apache.coyote.http11").getString("iib.requestheadertoolarge.error");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As ErrorReportValve: only errors, only once, never over a body already written.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        Problem problem = problemFor(status, response.getMessage(), throwable, request);
        try {
            response.setStatus(problem.status());
            response.setContentType(ProblemJson.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.render(problem.status(), problem.type(), problem.detail()));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: nothing more to tell it.
        }
    }

    record Problem(int status, String type, String detail) {
    }

    static Problem problemFor(int status, String message, Throwable throwable, Request request) {
        if (status == 400 && throwable != null && HEADER_TOO_LARGE.equals(throwable.getMessage())) {
            int limit = maxHeaderBytes(request);
            if (request.getCoyoteRequest().requestURI().isNull()) {
                // The request line alone did not fit: the target is too long to have been read.
                return new Problem(414, ProblemTypes.URI_TOO_LONG, "The request line is longer than the "
                        + limit + " bytes this service accepts for the request line and headers together.");
            }
            return new Problem(431, ProblemTypes.REQUEST_HEADER_TOO_LARGE, "The request line and headers are "
                    + "larger than the " + limit + " bytes this service accepts; send fewer or shorter headers.");
        }
        return new Problem(status, ProblemTypes.forStatus(status), detailOf(status, message, throwable));
    }

    static String detailOf(int status, String message, Throwable throwable) {
        if (status >= 500 && status != 501 && status != 505) {
            return "The request could not be completed; it is safe to retry with the same Idempotency-Key.";
        }
        if (message != null && message.startsWith("Invalid URI")) {
            return "The request path is not valid: it must be percent-encoded UTF-8, without an encoded NUL, '/' "
                    + "or '\\', and without '..' above the root.";
        }
        String reason = message != null && !message.isBlank() ? message
                : throwable != null && throwable.getMessage() != null ? throwable.getMessage() : null;
        return reason == null ? ProblemJson.genericDetail(status) : "The request could not be read: " + reason;
    }

    private static int maxHeaderBytes(Request request) {
        ProtocolHandler protocol = request.getConnector().getProtocolHandler();
        return protocol instanceof AbstractHttp11Protocol<?> http ? http.getMaxHttpRequestHeaderSize() : 8192;
    }
}
