package io.payledger.payment.domain;

/**
 * Rules for text a producer sends that is stored, published and logged: keys, references, IDs.
 * PostgreSQL refuses NUL in text and would silently alter a broken surrogate pair, so both are
 * refused at the edge, as is every other control character (line breaks forge log lines and have no
 * place on a statement).
 */
final class ProducerText {

    private static final int MAX_QUOTED_LENGTH = 64;

    private ProducerText() {
    }

    /** True when the text has no control characters and every surrogate is half of a pair. */
    static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text quoted for a message that echoes it back: shortened, with control characters and
     * surrogates escaped, so a refusal can say what it refused without carrying the problem along.
     */
    static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < Math.min(text.length(), MAX_QUOTED_LENGTH); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        quoted.append('"');
        if (text.length() > MAX_QUOTED_LENGTH) {
            quoted.append(" (").append(text.length()).append(" characters, shortened)");
        }
        return quoted.toString();
    }
}
