package io.payledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.localstack.ObservedMetrics.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboards, alert rules and Prometheus configuration under {@code observability/}, read as files:
 * how metric names are found in them, and that they are complete. Whether the services export those names
 * is EndToEndTest's, on the running platform.
 */
class ObservabilityAsCodeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void metricNamesAreFoundInPromQlButNotFunctionsLabelsKeywordsOrVariables() {
        // Given an expression with aggregations, grouping labels, matchers, ranges, offsets and Grafana variables
        String expression = "histogram_quantile(0.99, sum by (le, service) (rate(http_server_requests_seconds_bucket"
                + "{service=~\"$service\", uri!~\"/actuator.*\"}[$__rate_interval]))) > 1 and on (service) "
                + "sum without (instance) (payledger_dead_letters_total unless payledger_dead_letters_total offset 10m)"
                + " or max by (relay) (payledger_relay_leader{service=\"ledger-service\", relay=\"x{y}\"}) == bool 0";

        // When its metric names are extracted
        List<Reference> references = ObservedMetrics.references(expression, "test");

        // Then exactly the selected metrics are, the last one pinned to the service its selector names
        assertThat(references).containsExactly(
                new Reference("http_server_requests_seconds_bucket", Optional.empty(), "test"),
                new Reference("payledger_dead_letters_total", Optional.empty(), "test"),
                new Reference("payledger_dead_letters_total", Optional.empty(), "test"),
                new Reference("payledger_relay_leader", Optional.of("ledger-service"), "test"));
    }

    @Test
    void grafanasLabelValuesQueryNamesOnlyItsSelector() {
        assertThat(ObservedMetrics.references("label_values(jvm_memory_used_bytes{area=\"heap\"}, service)", "v"))
                .extracting(Reference::metric).containsExactly("jvm_memory_used_bytes");
        assertThat(ObservedMetrics.references("label_values(service)", "v")).isEmpty();
    }

    @Test
    void aMisspeltNameOrOneTheServiceItIsPinnedToDoesNotExportIsMissing() {
        // Given two services' expositions
        Map<String, Set<String>> exported = Map.of(
                "ledger-service", ObservedMetrics.exportedNames("""
                        # HELP ledger_batch_apply_seconds Applying one polled batch
                        # TYPE ledger_batch_apply_seconds histogram
                        ledger_batch_apply_seconds_bucket{service="ledger-service",le="0.1"} 3
                        ledger_batch_apply_seconds_count{service="ledger-service"} 3
                        ledger_transaction_retries_total 0.0
                        """),
                "payment-service", ObservedMetrics.exportedNames("http_server_requests_shed_total{service=\"payment-service\"} 0\n"));

        // When references are checked against them
        List<Reference> references = ObservedMetrics.references("""
                sum(rate(ledger_batch_apply_seconds_bucket[5m])) + sum(rate(ledger_transaction_retrys_total[5m]))
                + sum(rate(http_server_requests_shed_total{service="ledger-service"}[5m]))
                + sum(rate(http_server_requests_shed_total{service="payment-service"}[5m])) + up""", "rule X");

        // Then the misspelt one and the one its service does not export are missing, nothing else
        assertThat(ObservedMetrics.missing(references, exported)).containsExactly(
                "http_server_requests_shed_total{service=\"ledger-service\"} (rule X)",
                "ledger_transaction_retrys_total (rule X)");
    }

    @Test
    void everyAlertHasADelaySeverityAndARunbook() throws IOException {
        List<Map<String, Object>> rules = ObservedMetrics.alertRules(Files.readString(ObservedMetrics.ALERT_RULES));

        assertThat(rules).as("alert rules").hasSizeGreaterThanOrEqualTo(8);
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule).as("%s", rule.get("alert")).containsKeys("alert", "expr", "for");
            assertThat(rule.get("for").toString()).as("%s for", rule.get("alert")).matches("\\d+[smh]");
            assertThat(labels(rule, "labels").get("severity")).as("%s severity", rule.get("alert"))
                    .isIn("critical", "warning");
            assertThat(labels(rule, "annotations")).as("%s annotations", rule.get("alert"))
                    .containsKeys("summary", "description");
            assertThat(labels(rule, "annotations").get("description").toString()).as("%s runbook", rule.get("alert"))
                    .contains("Runbook:");
        });
        assertThat(rules).extracting(rule -> rule.get("alert")).contains("ServiceDown", "ConsumerStalled",
                "ConsumerLagGrowing", "ConsumerProgressCheckFailing", "DeadLettersAppearing", "LedgerRetriesExhausted",
                "RelayNotPublishing", "HttpLatencyP99High");
    }

    @Test
    void prometheusScrapesEveryServiceOnItsManagementPortAndLoadsTheRules() throws IOException {
        // Given Prometheus's configuration and the compose file that mounts it
        Map<String, Object> prometheus = new Yaml().load(
                Files.readString(ObservedMetrics.OBSERVABILITY.resolve("prometheus/prometheus.yml")));
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));

        // Then it scrapes each service's default management port, under the service's name in compose
        Map<String, String> targets = new TreeMap<>();
        Pattern target = Pattern.compile("([a-z-]+):(\\d+)");
        for (Map<String, Object> job : list(prometheus.get("scrape_configs"))) {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            for (Map<String, Object> config : list(job.get("static_configs"))) {
                for (Object address : (List<?>) config.get("targets")) {
                    Matcher matcher = target.matcher(address.toString());
                    assertThat(matcher.matches()).as(address.toString()).isTrue();
                    targets.put(matcher.group(1), matcher.group(2));
                    assertThat(labels(config, "labels")).as("%s's service label", address)
                            .containsEntry("service", matcher.group(1));
                }
            }
        }
        assertThat(targets).containsOnlyKeys("payment-service", "ledger-service", "fraud-service",
                "notification-service", "identity-service");
        targets.forEach((service, port) -> {
            assertThat(compose).as("compose service %s", service).contains("\n  " + service + ":\n");
            assertThat(managementPortDefault(service)).as("%s's management port", service).isEqualTo(port);
        });
        // And it loads the alert rules that compose mounts where it looks for them
        assertThat(prometheus.get("rule_files")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactly("/etc/prometheus/alerts.yml");
        assertThat(compose).contains("./observability/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
                "./observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    }

    /** The default of {@code <SERVICE>_MANAGEMENT_PORT} in the service's own configuration file. */
    private static String managementPortDefault(String service) {
        try {
            String configuration = Files.readString(ROOT.resolve(service + "/src/main/resources/" + service + ".yml"));
            Matcher port = Pattern.compile("management:\\s+server:\\s+port: \\$\\{[A-Z]+_MANAGEMENT_PORT:(\\d+)}")
                    .matcher(configuration);
            assertThat(port.find()).as("%s's management port setting", service).isTrue();
            return port.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.getOrDefault(key, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
