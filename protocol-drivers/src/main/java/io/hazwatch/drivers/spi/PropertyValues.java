package io.hazwatch.drivers.spi;

import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reading the loosely typed values of device and channel properties (as YAML hands them over: numbers,
 * or text) the same way in every driver. Each returns empty for a value that is not what is asked,
 * and the caller reports it with {@link #describe} and the property's location.
 */
public final class PropertyValues {
    private PropertyValues() {
    }

    /** An integer: a whole number, or text in decimal or {@code 0x} hexadecimal; 1.5 or NaN are not. */
    public static OptionalLong toLong(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return OptionalLong.of(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            try {
                return OptionalLong.of(new BigDecimal(n.toString()).longValueExact());
            } catch (ArithmeticException | NumberFormatException e) {
                return OptionalLong.empty(); // 1.5, NaN, or too large: not an integer
            }
        }
        if (value instanceof String s) {
            String text = s.trim();
            try {
                if (text.startsWith("0x") || text.startsWith("0X")) {
                    return OptionalLong.of(Long.parseLong(text.substring(2), 16));
                }
                return OptionalLong.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return OptionalLong.empty(); // reported by the caller with the offending text
            }
        }
        return OptionalLong.empty();
    }

    /** A number, or text that parses as one. */
    public static OptionalDouble toDouble(Object value) {
        if (value instanceof Number n) {
            return OptionalDouble.of(n.doubleValue());
        }
        if (value instanceof String s) {
            try {
                return OptionalDouble.of(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty(); // reported by the caller with the offending text
            }
        }
        return OptionalDouble.empty();
    }

    /** How a value is named in an error message: text quoted, anything else with its type. */
    public static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
