package io.payledger.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * A scenario on the test JVM's one stack ({@link SharedSystemStack}), with the platform's APIs as its clients use
 * them. Each scenario works on accounts of its own, so scenarios sharing the stack cannot disturb each other's checks.
 */
abstract class SharedStackTest {

    static SystemStack stack;
    static PlatformClient platform;

    @BeforeAll
    static void startStack() {
        stack = SharedSystemStack.get();
        platform = new PlatformClient(stack);
    }

    /** Skips a scenario that kills or stops something, on an external stack whose processes are not ours to control. */
    static void assumeProcessControl() {
        assumeTrue(stack.controlsProcesses(), () -> "skipped: " + stack.processControlUnavailable().orElseThrow());
    }
}
