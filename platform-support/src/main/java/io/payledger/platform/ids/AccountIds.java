package io.payledger.platform.ids;

import java.util.regex.Pattern;

/** The shape of an account ID, the same wherever one is accepted. */
public final class AccountIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public static final String RULE =
            "1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

    private AccountIds() {
    }

    public static boolean isValid(String accountId) {
        return accountId != null && VALID.matcher(accountId).matches();
    }
}
