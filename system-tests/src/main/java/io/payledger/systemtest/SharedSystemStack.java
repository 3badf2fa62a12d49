package io.payledger.systemtest;

/**
 * One stack per test JVM, started by the first scenario that asks and stopped when the JVM exits: starting five
 * JVMs, a broker and a database takes a minute or more on two cores, so scenarios share them. Each scenario
 * leaves the stack as it found it (every process it killed restarted), and works on accounts of its own.
 */
public final class SharedSystemStack {

    private static SystemStack stack;
    private static RuntimeException failure;

    private SharedSystemStack() {
    }

    /** The stack; a start that failed fails every later call the same way, rather than starting again. */
    public static synchronized SystemStack get() {
        if (failure != null) {
            throw new IllegalStateException("the system stack did not start", failure);
        }
        if (stack == null) {
            try {
                stack = SystemStack.start();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "system-stack-stop"));
        }
        return stack;
    }
}
