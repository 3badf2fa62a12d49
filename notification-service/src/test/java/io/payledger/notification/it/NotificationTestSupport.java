package io.payledger.notification.it;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.SharedIssuer;

/** notification-service's API as a client of the shared issuer calls it. */
final class NotificationTestSupport {

    /** The shared issuer's client with every scope, ops included: for tests not about ownership. */
    static final String OPERATOR = SharedIssuer.OPERATOR;
    static final String CLIENT_A = SharedIssuer.CLIENT_A;
    static final String CLIENT_B = SharedIssuer.CLIENT_B;

    private NotificationTestSupport() {
    }

    /** Each request with a token the shared issuer gave {@code clientId}. */
    static HttpApi api(int port, String clientId) {
        return new HttpApi("http://localhost:" + port, () -> SharedIssuer.token(clientId));
    }
}
