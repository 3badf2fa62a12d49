package io.payledger.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metric names the dashboards and alert rules under {@code observability/} ask Prometheus for, and
 * whether the services export them: a dashboard panel or an alert on a name nobody exports shows nothing
 * and never fires, silently.
 */
final class ObservedMetrics {

    /** The repository's {@code observability/} directory, as the tests of this module see it. */
    static final Path OBSERVABILITY = Path.of("..", "observability").toAbsolutePath().normalize();
    static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");
    static final Path ALERT_RULES = OBSERVABILITY.resolve("prometheus/alerts.yml");

    /** Prometheus writes these itself: {@code up} for every target it scrapes, {@code ALERTS} for its alerts. */
    private static final Set<String> WRITTEN_BY_PROMETHEUS = Set.of("up", "ALERTS");

    /** PromQL's aggregation operators: followed by their parameters or by {@code by}/{@code without}, never metrics. */
    private static final Set<String> AGGREGATORS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    /** Keywords followed by a list of label names, which are not metrics either. */
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");

    /** {@code service="x"}: a selector pinned to one service (a regex match, as on {@code $service}, is not). */
    private static final Pattern PINNED_SERVICE = Pattern.compile("(?:^|[{,\\s])service\\s*=\\s*\"([^\"]*)\"");
    /** A Grafana variable: {@code $service}, {@code ${service}}, {@code $__rate_interval}, {@code [[var]]}. */
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    /** Grafana's variable query {@code label_values(selector, label)}: only the selector names a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.*?)\\s*,\\s*\\w+\\s*\\)");
    private static final Pattern LABEL_VALUES_OF_A_LABEL = Pattern.compile("label_values\\(\\s*\\w+\\s*\\)");

    private ObservedMetrics() {
    }

    /** A metric an expression names, the service its selector is pinned to (if any), and where it was found. */
    record Reference(String metric, Optional<String> service, String source) {

        @Override
        public String toString() {
            return metric + service.map(s -> "{service=\"" + s + "\"}").orElse("") + " (" + source + ")";
        }
    }

    /** Every metric the dashboards' queries and variables and the alert rules name. */
    static List<Reference> referenced() throws IOException {
        List<Reference> references = new ArrayList<>();
        try (var dashboards = Files.list(DASHBOARDS)) {
            for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (Map.Entry<String, String> query : dashboardQueries(Files.readString(dashboard)).entrySet()) {
                    references.addAll(references(query.getValue(), dashboard.getFileName() + ": " + query.getKey()));
                }
            }
        }
        for (Map.Entry<String, String> rule : alertExpressions(Files.readString(ALERT_RULES)).entrySet()) {
            references.addAll(references(rule.getValue(), "alerts.yml: " + rule.getKey()));
        }
        return references;
    }

    /** Each panel target's {@code expr}, each variable's query and each annotation's, by panel title or name. */
    static Map<String, String> dashboardQueries(String dashboardJson) {
        JsonNode dashboard = JsonMapper.builder().build().readTree(dashboardJson);
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        collectPanelQueries(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText("") : query.asText("");
            if (variable.path("type").asText().equals("query") && !text.isBlank()) {
                queries.put("variable " + variable.path("name").asText(), text);
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (!annotation.path("expr").asText("").isBlank()) {
                queries.put("annotation " + annotation.path("name").asText(), annotation.path("expr").asText());
            }
        }
        return queries;
    }

    private static void collectPanelQueries(JsonNode panels, Map<String, String> queries) {
        for (JsonNode panel : panels) {
            int target = 0;
            for (JsonNode query : panel.path("targets")) {
                String expr = query.path("expr").asText("");
                if (!expr.isBlank()) {
                    queries.put("panel \"" + panel.path("title").asText() + "\" target " + target++, expr);
                }
            }
            collectPanelQueries(panel.path("panels"), queries); // panels inside a collapsed row
        }
    }

    /** Each rule's expression, by the name of the alert (or recording rule) it belongs to. */
    static Map<String, String> alertExpressions(String rulesYaml) {
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        for (Map<String, Object> rule : alertRules(rulesYaml)) {
            Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
            expressions.put(String.valueOf(name), String.valueOf(rule.get("expr")));
        }
        return expressions;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules(String rulesYaml) {
        Map<String, Object> file = new Yaml().load(rulesYaml);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /**
     * The metrics a PromQL expression selects: identifiers that are not functions or aggregations (those
     * are followed by a parenthesis), not keywords, not label names (inside braces or after {@code by},
     * {@code on} ...), and not in string literals, ranges or numbers.
     */
    static List<Reference> references(String expression, String source) {
        String promql = GRAFANA_VARIABLE.matcher(expression).replaceAll("1");
        promql = LABEL_VALUES.matcher(promql).replaceAll("$1");
        promql = LABEL_VALUES_OF_A_LABEL.matcher(promql).replaceAll("");
        List<Reference> references = new ArrayList<>();
        int i = 0;
        while (i < promql.length()) {
            char c = promql.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(promql, i);
            } else if (c == '{') {
                i = afterBlock(promql, i, '{', '}'); // a selector by labels alone names no metric we can check
            } else if (c == '[') {
                i = afterBlock(promql, i, '[', ']');
            } else if (c == '#') {
                int end = promql.indexOf('\n', i);
                i = end < 0 ? promql.length() : end;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < promql.length()
                    && Character.isDigit(promql.charAt(i + 1))) {
                while (i < promql.length() && (Character.isLetterOrDigit(promql.charAt(i)) || promql.charAt(i) == '.'
                        || promql.charAt(i) == '_')) {
                    i++; // 0.99, 5m, 1e3, 1h30m
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < promql.length() && (Character.isLetterOrDigit(promql.charAt(i)) || promql.charAt(i) == '_'
                        || promql.charAt(i) == ':')) {
                    i++;
                }
                String identifier = promql.substring(start, i);
                int next = skipSpace(promql, i);
                char following = next < promql.length() ? promql.charAt(next) : '\0';
                if (LABEL_LIST_KEYWORDS.contains(identifier)) {
                    i = following == '(' ? afterBlock(promql, next, '(', ')') : next;
                } else if (following == '(' || AGGREGATORS.contains(identifier) || KEYWORDS.contains(identifier)) {
                    i = next; // a function, an aggregation or a keyword
                } else if (following == '{') {
                    int end = afterBlock(promql, next, '{', '}');
                    Matcher pinned = PINNED_SERVICE.matcher(promql.substring(next, end));
                    references.add(new Reference(identifier,
                            pinned.find() ? Optional.of(pinned.group(1)) : Optional.empty(), source));
                    i = end;
                } else {
                    references.add(new Reference(identifier, Optional.empty(), source));
                }
            } else {
                i++;
            }
        }
        return references;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int afterString(String text, int open) {
        char quote = text.charAt(open);
        int i = open + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return Math.min(i + 1, text.length());
    }

    /** The index after the bracket closing the one at {@code open}, skipping string literals inside. */
    private static int afterBlock(String text, int open, char opening, char closing) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
                continue;
            }
            if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced '" + opening + "' at " + open + " in: " + text);
    }

    /** The names of the samples in a Prometheus text exposition: {@code x_bucket}, {@code x_count}, {@code x_total} as written. */
    static Set<String> exportedNames(String exposition) {
        Set<String> names = new HashSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /**
     * The references no service exports: one pinned to a service must be in that service's exposition,
     * any other in at least one service's.
     */
    static Set<String> missing(List<Reference> references, Map<String, Set<String>> exportedByService) {
        Set<String> missing = new TreeSet<>();
        for (Reference reference : references) {
            if (WRITTEN_BY_PROMETHEUS.contains(reference.metric())) {
                continue;
            }
            boolean exported = reference.service()
                    .map(service -> exportedByService.getOrDefault(service, Set.of()).contains(reference.metric()))
                    .orElseGet(() -> exportedByService.values().stream().anyMatch(names -> names.contains(reference.metric())));
            if (!exported) {
                missing.add(reference.toString());
            }
        }
        return missing;
    }
}
