package io.payledger.identity;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A Logback appender (see logback-test.xml) keeping everything this test JVM logged, message, MDC and stack traces. */
public class CapturedLogs extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder text = new StringBuilder()
                .append(event.getLevel()).append(' ')
                .append(event.getLoggerName()).append(' ')
                .append(event.getFormattedMessage()).append(' ')
                .append(event.getMDCPropertyMap());
        if (event.getKeyValuePairs() != null) {
            text.append(' ').append(event.getKeyValuePairs());
        }
        if (event.getThrowableProxy() != null) {
            text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        EVENTS.add(text.toString());
    }

    /** Everything logged so far in this JVM. */
    public static List<String> all() {
        return List.copyOf(EVENTS);
    }
}
