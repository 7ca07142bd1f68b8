package io.hazwatch.drivers.serial;

import java.util.Optional;

/**
 * C-style escapes in delimiter and request strings, so that a single-quoted YAML value
 * ({@code end: '\r\n'}) means the same as a double-quoted one: {@code \r \n \t \0 \\ \xHH}.
 */
public final class Escapes {

    private Escapes() {
    }

    /** The text with its escapes resolved, or empty when an escape is malformed. */
    public static Optional<String> unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                return Optional.empty();
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r':
                    out.append('\r');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case '0':
                    out.append('\0');
                    break;
                case '\\':
                    out.append('\\');
                    break;
                case 'x': {
                    if (i + 2 >= text.length()) {
                        return Optional.empty();
                    }
                    int hi = Character.digit(text.charAt(i + 1), 16);
                    int lo = Character.digit(text.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        return Optional.empty();
                    }
                    out.append((char) (hi * 16 + lo));
                    i += 2;
                    break;
                }
                default:
                    return Optional.empty();
            }
        }
        return Optional.of(out.toString());
    }

    /** The text with control characters written as escapes, for messages: {@code "\r\n"}. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r':
                    out.append("\\r");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                default:
                    if (c < 0x20 || (c >= 0x7F && c <= 0xFF)) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }
}
