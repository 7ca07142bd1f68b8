package io.hazwatch.drivers.serial.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The named groups of a regular expression, found in its text ({@code Pattern.namedGroups()} is public
 * only from Java 20). Skips escaped characters, {@code \Q...\E} quotes and character classes, where
 * {@code (?<} is not a group.
 */
public final class RegexGroups {

    private RegexGroups() {
    }

    /** Group names in order of appearance. */
    public static Set<String> namedGroups(String regex) {
        Set<String> names = new LinkedHashSet<>();
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 < regex.length() && regex.charAt(i + 1) == 'Q') {
                    int end = regex.indexOf("\\E", i + 2);
                    i = end < 0 ? regex.length() : end + 1;
                } else {
                    i++;
                }
                continue;
            }
            if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            } else if (classDepth == 0 && c == '(' && regex.startsWith("?<", i + 1)
                    && i + 3 < regex.length() && Character.isLetter(regex.charAt(i + 3))) {
                int j = i + 3;
                while (j < regex.length() && Character.isLetterOrDigit(regex.charAt(j))) {
                    j++;
                }
                if (j < regex.length() && regex.charAt(j) == '>') {
                    names.add(regex.substring(i + 3, j));
                }
            }
        }
        return names;
    }
}
