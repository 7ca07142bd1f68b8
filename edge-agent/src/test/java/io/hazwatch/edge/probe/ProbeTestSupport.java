package io.hazwatch.edge.probe;

import io.hazwatch.edge.EdgeMain;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code edge} command in this JVM with captured output. */
final class ProbeTestSupport {

    record Run(int code, String out, String err) {
    }

    private ProbeTestSupport() {
    }

    static Run edge(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
