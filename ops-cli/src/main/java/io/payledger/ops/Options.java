package io.payledger.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of one command, refusing any it does not know. */
final class Options {

    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {
    }

    static Options parse(List<String> arguments, Set<String> valued, Set<String> flagNames) {
        Options options = new Options();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String name = argument.startsWith("--") ? argument.substring(2) : null;
            if (name != null && flagNames.contains(name)) {
                options.flags.add(name);
            } else if (name != null && valued.contains(name)) {
                if (i + 1 >= arguments.size()) {
                    throw new IllegalArgumentException(argument + " needs a value");
                }
                options.values.computeIfAbsent(name, n -> new ArrayList<>()).add(arguments.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option " + argument);
            }
        }
        return options;
    }

    /** The option's value; the last one if it was given more than once. */
    Optional<String> value(String name) {
        List<String> given = values.getOrDefault(name, List.of());
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(given.size() - 1));
    }

    /** Every value of a repeatable option, in order. */
    List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    String required(String name) {
        return value(name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
