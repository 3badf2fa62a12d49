package io.payledger.systemtest.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a load run does: an open model, one payment every {@code 1/rate} seconds for {@code duration}, whatever the
 * platform's answers take.
 *
 * @param rate             payments a second (arrivals, scheduled)
 * @param duration         how long payments arrive
 * @param kafkaShare       share of the payments sent as Avro commands on the wallet's Kafka topic, 0 to 1; the rest
 *                         go over HTTP
 * @param accounts         funded customer accounts of the wallet the payments go between
 * @param hotAccounts      how many of them are hot
 * @param hotShare         share of the payments whose source or destination is a hot account, 0 to 1
 * @param maxAmountMinor   each payment's amount is 1 to this, in minor units, at random
 * @param fundingMinor     what each customer account is funded with from a SYSTEM account (one payment; at most the
 *                         fraud limit, 10,000.00 by default, or the funding is rejected)
 * @param currency         every account's currency (two decimals)
 * @param drainTimeout     after the last arrival, how long to wait for every accepted payment's final outcome
 * @param maxInFlight      sends awaiting their answer (HTTP) or acknowledgement (Kafka) at most; an arrival beyond it
 *                         is not sent and counted {@code notSent} (the generator, not the platform, is the limit then)
 * @param httpTimeout      an HTTP request unanswered this long is uncertain (it may still have been accepted)
 * @param progressInterval how often the progress line is printed on stderr
 * @param httpBatch        HTTP payments a request: 1 sends each to {@code POST /v1/payments}; more gathers that many
 *                         arrivals into one {@code POST /v1/payments/batch}, sent when full or, at the next arrival,
 *                         once its first payment has waited {@link #HTTP_BATCH_LINGER} (latency still counts from
 *                         each payment's due time)
 */
public record LoadOptions(double rate, Duration duration, double kafkaShare, int accounts, int hotAccounts,
                          double hotShare, long maxAmountMinor, long fundingMinor, String currency,
                          Duration drainTimeout, int maxInFlight, Duration httpTimeout, Duration progressInterval,
                          int httpBatch) {

    /** How long a partly filled HTTP batch waits for more arrivals. */
    public static final Duration HTTP_BATCH_LINGER = Duration.ofMillis(20);

    public LoadOptions {
        require(rate > 0 && Double.isFinite(rate), "rate must be positive");
        require(!duration.isNegative() && !duration.isZero(), "duration must be positive");
        require(kafkaShare >= 0 && kafkaShare <= 1, "kafkaShare must be 0 to 1");
        require(accounts >= 2, "accounts must be 2 at least");
        require(hotAccounts >= 0 && hotAccounts < accounts, "hotAccounts must be 0 to accounts - 1");
        require(hotShare >= 0 && hotShare <= 1, "hotShare must be 0 to 1");
        require(hotShare == 0 || hotAccounts > 0, "hotShare needs hotAccounts");
        require(hotShare == 1 || accounts - hotAccounts >= 2, "payments that touch no hot account need two other accounts");
        require(maxAmountMinor >= 1, "maxAmount must be 0.01 at least");
        require(fundingMinor >= 1, "funding must be 0.01 at least");
        require(!drainTimeout.isNegative(), "drainTimeout must not be negative");
        require(maxInFlight >= 1, "maxInFlight must be positive");
        require(httpBatch >= 1 && httpBatch <= 100, "httpBatch must be 1 to 100");
        require(Math.floor(rate * duration.toNanos() / 1e9) < Integer.MAX_VALUE, "rate x duration is too many payments");
    }

    /** 1,000/s for two minutes, half over Kafka, over 1,000 accounts of which 10 hot take a tenth of the payments. */
    public static LoadOptions defaults() {
        return new LoadOptions(1000, Duration.ofSeconds(120), 0.5, 1000, 10, 0.1, 100_00, 10_000_00, "USD",
                Duration.ofSeconds(120), 10_000, Duration.ofSeconds(30), Duration.ofSeconds(5), 1);
    }

    /**
     * The defaults, overridden by whatever {@code property} gives (system properties, for LoadMain): {@code rate},
     * {@code duration}, {@code kafkaShare}, {@code accounts}, {@code hotAccounts}, {@code hotShare}, {@code maxAmount}
     * and {@code funding} (decimal amounts, e.g. 100.00), {@code currency}, {@code drainTimeout}, {@code maxInFlight},
     * {@code httpTimeout}, {@code progressInterval}, {@code httpBatch}. Durations are {@code 120s}, {@code 2m},
     * {@code 500ms} or ISO-8601
     * ({@code PT2M}).
     */
    public static LoadOptions from(Function<String, String> property) {
        LoadOptions d = defaults();
        return new LoadOptions(
                number(property, "rate", d.rate),
                duration(property, "duration", d.duration),
                number(property, "kafkaShare", d.kafkaShare),
                (int) number(property, "accounts", d.accounts),
                (int) number(property, "hotAccounts", d.hotAccounts),
                number(property, "hotShare", d.hotShare),
                minor(property, "maxAmount", d.maxAmountMinor),
                minor(property, "funding", d.fundingMinor),
                text(property, "currency", d.currency),
                duration(property, "drainTimeout", d.drainTimeout),
                (int) number(property, "maxInFlight", d.maxInFlight),
                duration(property, "httpTimeout", d.httpTimeout),
                duration(property, "progressInterval", d.progressInterval),
                (int) number(property, "httpBatch", d.httpBatch));
    }

    /** How many payments arrive: rate x duration, rounded down. */
    public long payments() {
        return (long) Math.floor(rate * duration.toNanos() / 1e9);
    }

    /** Whether payment {@code seq} (from 0) goes over Kafka: exactly {@code kafkaShare} of them, evenly spread. */
    public boolean overKafka(long seq) {
        return Math.floor((seq + 1) * kafkaShare) > Math.floor(seq * kafkaShare);
    }

    public LoadOptions withRate(double newRate, Duration newDuration) {
        return new LoadOptions(newRate, newDuration, kafkaShare, accounts, hotAccounts, hotShare, maxAmountMinor,
                fundingMinor, currency, drainTimeout, maxInFlight, httpTimeout, progressInterval, httpBatch);
    }

    public LoadOptions withTraffic(double newKafkaShare, int newAccounts, int newHotAccounts, double newHotShare) {
        return new LoadOptions(rate, duration, newKafkaShare, newAccounts, newHotAccounts, newHotShare, maxAmountMinor,
                fundingMinor, currency, drainTimeout, maxInFlight, httpTimeout, progressInterval, httpBatch);
    }

    public LoadOptions withDrainTimeout(Duration timeout) {
        return new LoadOptions(rate, duration, kafkaShare, accounts, hotAccounts, hotShare, maxAmountMinor,
                fundingMinor, currency, timeout, maxInFlight, httpTimeout, progressInterval, httpBatch);
    }

    public LoadOptions withHttpBatch(int paymentsPerRequest) {
        return new LoadOptions(rate, duration, kafkaShare, accounts, hotAccounts, hotShare, maxAmountMinor,
                fundingMinor, currency, drainTimeout, maxInFlight, httpTimeout, progressInterval, paymentsPerRequest);
    }

    public LoadOptions withProgressInterval(Duration interval) {
        return new LoadOptions(rate, duration, kafkaShare, accounts, hotAccounts, hotShare, maxAmountMinor,
                fundingMinor, currency, drainTimeout, maxInFlight, httpTimeout, interval, httpBatch);
    }

    /** {@code 120s}, {@code 2m}, {@code 500ms}, {@code 1h}, a number of seconds, or ISO-8601 ({@code PT2M}). */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
        }
        long unit = switch (value.charAt(value.length() - 1)) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            default -> 0;
        };
        if (unit == 0) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).trim())
                * unit * 1000));
    }

    /** A decimal amount with at most two decimals, in minor units: "100.00" is 10000. */
    static long parseMinor(String text) {
        return new BigDecimal(text.trim()).movePointRight(2).longValueExact();
    }

    private static double number(Function<String, String> property, String name, double fallback) {
        String value = property.apply(name);
        try {
            return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value);
        }
    }

    private static long minor(Function<String, String> property, String name, long fallback) {
        String value = property.apply(name);
        try {
            return value == null || value.isBlank() ? fallback : parseMinor(value);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not an amount with at most two decimals: " + value);
        }
    }

    private static Duration duration(Function<String, String> property, String name, Duration fallback) {
        String value = property.apply(name);
        try {
            return value == null || value.isBlank() ? fallback : parseDuration(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a duration (120s, 2m, 500ms, PT2M): " + value);
        }
    }

    private static String text(Function<String, String> property, String name, String fallback) {
        String value = property.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
