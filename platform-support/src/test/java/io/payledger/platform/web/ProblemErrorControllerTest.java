package io.payledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

class ProblemErrorControllerTest {

    private final ProblemErrorController controller = new ProblemErrorController();

    private static MockHttpServletRequest forwarded(int status, String message, Throwable error) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_MESSAGE, message);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, error);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/payments");
        return request;
    }

    @Test
    void aClientErrorForwardedByTheContainerIsATypedProblemAboutTheFailedRequest() {
        // Given Tomcat refused a TRACE and forwarded to the error path
        MockHttpServletRequest request = forwarded(405, "TRACE method is not allowed", null);

        // When
        ResponseEntity<ProblemDetail> response = controller.error(request);

        // Then
        assertThat(response.getStatusCode().value()).isEqualTo(405);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().getType().toString()).isEqualTo("urn:payledger:problem:method-not-allowed");
        assertThat(response.getBody().getDetail()).isEqualTo("TRACE method is not allowed");
        assertThat(response.getBody().getInstance().toString()).isEqualTo("/v1/payments");
    }

    @Test
    void aServerErrorSaysNothingOfItsCause() {
        // Given a filter failed with a message about the platform's insides
        MockHttpServletRequest request = forwarded(500, "connection to db-7 refused",
                new IllegalStateException("connection to db-7 refused"));

        // When
        ProblemDetail problem = controller.error(request).getBody();

        // Then
        assertThat(problem.getType().toString()).isEqualTo("urn:payledger:problem:internal-error");
        assertThat(problem.getDetail()).doesNotContain("db-7").contains("safe to retry");
    }

    @Test
    void theErrorPathAskedForDirectlyIsNoEndpoint() {
        ResponseEntity<ProblemDetail> response = controller.error(new MockHttpServletRequest("GET", "/error"));

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody().getType().toString()).isEqualTo("urn:payledger:problem:not-found");
    }

    @Test
    void aTargetThatIsNoUriLeavesTheInstanceOut() {
        // Given a failed request whose raw target the container tolerated but java.net.URI does not
        MockHttpServletRequest request = forwarded(400, "Bad chunk", null);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/payments/a b");

        // When
        ProblemDetail problem = controller.error(request).getBody();

        // Then the problem is still answered
        assertThat(problem.getInstance()).isNull();
        assertThat(problem.getType().toString()).isEqualTo("urn:payledger:problem:malformed-request");
        assertThat(problem.getTitle()).isEqualTo("Malformed request");
    }
}
