package io.payledger.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boot's error path ({@code /error}), answered as a problem instead of Boot's JSON map or HTML page.
 * The container forwards here for errors raised outside Spring MVC's exception handling: by a filter,
 * by Tomcat itself once the request reached the application ({@code TRACE}, a malformed chunked body),
 * or by a {@code sendError} without a handler.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    @RequestMapping
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            // Asked for directly: to a client the error path is no endpoint at all.
            return problem(HttpStatus.NOT_FOUND.value(),
                    "There is no endpoint " + request.getMethod() + " " + request.getRequestURI() + ".", null);
        }
        return problem(status, detailOf(status, request.getAttribute(RequestDispatcher.ERROR_MESSAGE)),
                request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    }

    private static ResponseEntity<ProblemDetail> problem(int status, String detail, Object requestUri) {
        String type = ProblemTypes.forStatus(status);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        body.setType(ProblemTypes.uri(type));
        body.setTitle(ProblemJson.titleOf(status, type));
        if (requestUri instanceof String uri) {
            // The request that failed, not the error path it was forwarded to.
            try {
                body.setInstance(new URI(uri));
            } catch (URISyntaxException e) {
                // A target only the container tolerated: the problem goes without it.
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** A client error says what the container said; a server error says nothing of its cause (it is logged). */
    static String detailOf(int status, Object message) {
        if (status >= 500) {
            return "The request could not be completed; it is safe to retry with the same Idempotency-Key.";
        }
        if (message instanceof String text && !text.isBlank()) {
            return text;
        }
        return ProblemJson.genericDetail(status);
    }
}
