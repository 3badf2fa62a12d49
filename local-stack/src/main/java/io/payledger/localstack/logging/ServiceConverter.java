package io.payledger.localstack.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %service}: which part of the local stack logged an event, from the logger's name and, for
 * shared libraries (Kafka clients, Spring, Tomcat, the platform's relays), from the thread's name.
 */
public final class ServiceConverter extends ClassicConverter {

    private static final String[][] BY_LOGGER = {
            {"io.payledger.payment.", "payment"},
            {"io.payledger.ledger.", "ledger"},
            {"io.payledger.fraud.", "fraud"},
            {"io.payledger.notification.", "notification"},
            {"notifications", "notification"},
            {"io.payledger.localstack.", "stack"},
            {"io.payledger.infra.", "stack"},
            {"io.zonky.", "postgres"},
            {"kafka.", "kafka"},
            {"state.change.logger", "kafka"},
            {"org.apache.kafka.controller.", "kafka"},
            {"org.apache.kafka.raft.", "kafka"},
            {"org.apache.kafka.server.", "kafka"},
            {"org.apache.kafka.storage.", "kafka"},
            {"org.apache.kafka.metadata.", "kafka"},
            {"org.apache.kafka.image.", "kafka"},
            {"org.apache.kafka.coordinator.", "kafka"},
    };

    private static final String[][] BY_THREAD = {
            {"payment", "payment"},
            {"ledger", "ledger"},
            {"fraud", "fraud"},
            {"notification", "notification"},
    };

    @Override
    public String convert(ILoggingEvent event) {
        String logger = event.getLoggerName();
        for (String[] rule : BY_LOGGER) {
            if (logger.startsWith(rule[0]) || logger.equals(rule[0])) {
                return rule[1];
            }
        }
        String thread = event.getThreadName();
        if (thread != null) {
            for (String[] rule : BY_THREAD) {
                if (thread.contains(rule[0])) {
                    return rule[1];
                }
            }
        }
        return "-";
    }
}
