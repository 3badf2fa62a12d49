package io.payledger.systemtest;

/**
 * JUnit tags of the system tests. CI runs every scenario but those tagged {@link #LONG_FAULT}; the README's
 * "Faults during load" gives the command that runs them all.
 */
final class SystemTestTags {

    /**
     * A fault scenario that takes minutes rather than a minute on two cores (a 30 s outage, a 10 s lock, a slow
     * service's restart), or that another scenario covers under load: left out of CI to keep it under 20 minutes.
     */
    static final String LONG_FAULT = "long-fault";

    private SystemTestTags() {
    }
}
