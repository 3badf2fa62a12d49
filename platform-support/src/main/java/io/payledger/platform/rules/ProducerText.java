package io.payledger.platform.rules;

/**
 * Rules for text a producer sends that is stored, published and logged: keys, references, IDs.
 * PostgreSQL refuses NUL in text and would silently alter a broken surrogate pair, so both are
 * refused at the edge, as is every other control character (line breaks forge log lines and have no
 * place on a statement).
 */
public final class ProducerText {

    private static final int MAX_QUOTED_LENGTH = 64;

    private ProducerText() {
    }

    /** True when the text has no control characters and every surrogate is half of a pair. */
    public static boolean isPrintable(String text) {
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
    public static String quote(String text) {
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

    /**
     * The text as it can be stored and published whatever it holds: unchanged when it is printable and
     * at most {@code maxLength} characters; otherwise control characters and broken surrogates escaped
     * (a backslash, 'u' and four hex digits) and the result cut to {@code maxLength}, so a record of a
     * hostile value keeps what it said without the harm (PostgreSQL refuses NUL; a megabyte bloats reads).
     */
    public static String storable(String text, int maxLength) {
        if (text == null || (text.length() <= maxLength && isPrintable(text))) {
            return text;
        }
        StringBuilder stored = new StringBuilder(Math.min(text.length(), maxLength) + 8);
        for (int i = 0; i < text.length() && stored.length() < maxLength; i++) {
            char c = text.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedSurrogate) {
                stored.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                stored.append(String.format("\\u%04x", (int) c));
            } else {
                stored.append(c);
            }
        }
        // Never end on half a surrogate pair.
        int end = Math.min(stored.length(), maxLength);
        if (end > 0 && Character.isHighSurrogate(stored.charAt(end - 1))) {
            end--;
        }
        return stored.substring(0, end);
    }
}
