package io.hazwatch.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTP face: JSON routes on the JDK's HTTP server. A handler returns an object that is
 * written as JSON, or throws {@link ApiException} for a clear 4xx answer; anything else is a 500
 * with a message, and the node goes on.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A JSON route. */
    @FunctionalInterface
    public interface Route {
        Object handle(Map<String, String> query) throws ApiException;
    }

    /** A refusal of a request, with the HTTP status to answer and a message saying what and where. */
    public static final class ApiException extends Exception {
        private final int status;

        public ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final java.util.Set<String> paths = new java.util.HashSet<>();

    public HttpApi(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-" + port);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /** Adds a route, replacing any earlier route on the same path. */
    public synchronized HttpApi route(String path, Route route) {
        if (!paths.add(path)) {
            server.removeContext(path);
        }
        server.createContext(path, ex -> serve(ex, path, route));
        return this;
    }

    public void start() {
        server.start();
        log.info("HTTP API on http://{}:{}/", server.getAddress().getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange ex, String path, Route route) throws IOException {
        int status = 200;
        Object body;
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                throw new ApiException(405, "only GET is served on " + path);
            }
            if (!ex.getRequestURI().getPath().equals(path)) {
                throw new ApiException(404, "no resource " + ex.getRequestURI().getPath());
            }
            body = route.handle(parseQuery(ex.getRequestURI().getRawQuery()));
        } catch (ApiException e) {
            status = e.status();
            body = Map.of("error", e.getMessage(), "path", path);
        } catch (RuntimeException e) {
            log.error("HTTP {} failed", path, e);
            status = 500;
            body = Map.of("error", "internal error: " + e, "path", path);
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown(); // no interrupts: a handler may be reading an H2 file (NIO channels close on interrupt)
    }
}
