package io.hazwatch.drivers.spi;

/** One thing wrong with a device or channel configuration, with where it was written. */
public record ConfigProblem(String location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
