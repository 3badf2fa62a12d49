package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the harness is told what to start, or what to use instead: no process started here. */
class SystemStackOptionsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(SystemStack.JVM_FLAGS_PROPERTY);
        System.clearProperty(SystemStack.JVM_FLAGS_PROPERTY + ".ledger-service");
    }

    @Test
    void everyServiceGetsTheDefaultFlagsUnlessItsOwnOrEveryonesAreGiven() {
        // Given no flags set, then every service's and the ledger's own
        assertThat(SystemStack.Options.defaults().jvmFlags(Service.PAYMENT))
                .isEqualTo(SystemStack.Options.DEFAULT_JVM_FLAGS);
        System.setProperty(SystemStack.JVM_FLAGS_PROPERTY, "-Xmx1g  -XX:+UseG1GC");
        System.setProperty(SystemStack.JVM_FLAGS_PROPERTY + ".ledger-service", "-Xmx2g");

        // When the options are read
        SystemStack.Options options = SystemStack.Options.defaults();

        // Then the ledger has its own, the others everyone's
        assertThat(options.jvmFlags(Service.LEDGER)).containsExactly("-Xmx2g");
        assertThat(options.jvmFlags(Service.PAYMENT)).containsExactly("-Xmx1g", "-XX:+UseG1GC");
        assertThat(options.withJvmFlags(Service.FRAUD, List.of("-Xmx256m")).jvmFlags(Service.FRAUD))
                .containsExactly("-Xmx256m");
    }

    @Test
    void anExternalStackNeedsEveryVariableThatSaysWhereItIs() {
        // Given an external stack named without its ledger's URL
        Map<String, String> env = Map.of(SystemStack.MODE_VARIABLE, "external", "PAYMENT_URL", "http://localhost:1",
                "NOTIFICATION_URL", "http://localhost:2", "OAUTH2_TOKEN_URI", "http://localhost:3/oauth2/token",
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:4", "DATABASE_URL", "jdbc:postgresql://localhost:5/payledger");

        // When the harness is made from it, then it says which variable is missing, starting nothing
        assertThatThrownBy(() -> SystemStack.start(SystemStack.Options.defaults(), env))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LEDGER_URL");
    }
}
