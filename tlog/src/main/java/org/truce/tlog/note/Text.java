package org.truce.tlog.note;

import java.util.Base64;
import org.truce.tlog.FormatException;

/** Shared text rules of the signed-note family: key names and canonical base64. */
final class Text {
    private Text() {}

    /** Key names are non-empty and contain neither Unicode spaces nor {@code +}. */
    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c == '+' || c == 0x85 || Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.isISOControl(c));
    }

    /** Decodes standard base64, accepting only the canonical padded encoding. */
    static byte[] decodeBase64(String s, String what) throws FormatException {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new FormatException(what + " is not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new FormatException(what + " is not canonical padded base64");
        }
        return b;
    }
}
