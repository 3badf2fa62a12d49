package io.payledger.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a path with a percent-encoded control character ({@code %01}, {@code %0A}, {@code %7F}, ...)
 * before any endpoint reads it: no account, payment or transaction ID may hold one, and a log line or
 * a database must never be handed one. The container already refuses {@code %00}, malformed escapes,
 * encoded {@code /} and {@code \} and {@code ..} segments, with the same problem type.
 */
public class RequestPathFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int control = firstControlCharacter(request.getServletPath());
        if (control < 0 && request.getPathInfo() != null) {
            control = firstControlCharacter(request.getPathInfo());
        }
        if (control >= 0) {
            ProblemJson.write(response, HttpServletResponse.SC_BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
                    "The request path holds a control character (U+" + String.format(Locale.ROOT, "%04X", control)
                            + "); no resource has one in its name, so remove it from the path.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first ISO control character of the decoded path, or -1. */
    static int firstControlCharacter(String decodedPath) {
        if (decodedPath == null) {
            return -1;
        }
        for (int i = 0; i < decodedPath.length(); i++) {
            char c = decodedPath.charAt(i);
            if (Character.isISOControl(c)) {
                return c;
            }
        }
        return -1;
    }
}
