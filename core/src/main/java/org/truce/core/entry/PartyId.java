package org.truce.core.entry;

import java.util.regex.Pattern;

/** Party identifiers: 2 to 32 characters, lowercase letters, digits and hyphens, starting with a letter. */
public final class PartyId {
    /** The operator's own party id. */
    public static final String OPERATOR = "operator";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    private PartyId() {}

    public static boolean isValid(String id) {
        return ID.matcher(id).matches();
    }
}
