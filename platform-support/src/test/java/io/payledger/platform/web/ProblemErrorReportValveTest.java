package io.payledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the valve says for what Tomcat tells it; rendering over a real connector is in the services' edge tests. */
class ProblemErrorReportValveTest {

    @Test
    void aPathTomcatWillNotMapIsExplained() {
        // Given Tomcat's own message for a path with %00, a malformed escape, an encoded '/' or a '..' escape
        String detail = ProblemErrorReportValve.detailOf(400, "Invalid URI", null);

        assertThat(detail).startsWith("The request path is not valid").contains("percent-encoded UTF-8");
    }

    @Test
    void aParseErrorQuotesTomcatsReason() {
        String detail = ProblemErrorReportValve.detailOf(400, null,
                new IllegalArgumentException("Invalid character found in method name [G@T ]"));

        assertThat(detail).isEqualTo("The request could not be read: Invalid character found in method name [G@T ]");
    }

    @Test
    void aBareStatusGetsAGenericDetail() {
        assertThat(ProblemErrorReportValve.detailOf(400, null, null)).startsWith("The request could not be read");
        assertThat(ProblemErrorReportValve.detailOf(505, null, null)).contains("HTTP Version not supported");
    }

    @Test
    void aServerErrorSaysNothingOfItsCause() {
        String detail = ProblemErrorReportValve.detailOf(500, "NullPointerException at Foo.java:12",
                new NullPointerException());

        assertThat(detail).doesNotContain("Foo").contains("safe to retry");
    }
}
