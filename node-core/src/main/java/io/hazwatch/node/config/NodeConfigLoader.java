package io.hazwatch.node.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import io.hazwatch.sync.link.LinkProfile;
import io.hazwatch.sync.link.PointSelection;

/**
 * Loads the YAML configuration of a county, city or province node into a {@link NodeConfig}, and reads
 * the {@code node:} section of an edge configuration (see {@link #readEdgeNode}). Every problem in
 * the file is collected and thrown together in one {@link ConfigException}; see
 * {@code docs/config-reference.md} for the format.
 *
 * <p>A relative {@code dataDir} is resolved against the directory of the configuration file, so a
 * node finds its journal wherever it is started from.
 */
public final class NodeConfigLoader {

    /** Node ids, site codes, device and point names: letters, digits, '.', '_' and '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static final List<String> NODE_KEYS = List.of("id", "role", "dataDir", "listen", "http", "parents", "children",
            "journalQuotaMb");
    static final List<String> EDGE_NODE_KEYS = List.of("id", "dataDir", "http", "parents", "journalQuotaMb");

    private static final Map<String, NodeRole> SERVER_ROLES = new LinkedHashMap<>();

    static {
        SERVER_ROLES.put("county", NodeRole.COUNTY);
        SERVER_ROLES.put("city", NodeRole.CITY);
        SERVER_ROLES.put("province", NodeRole.PROVINCE);
    }

    private NodeConfigLoader() {
    }

    /** Loads a node configuration file. */
    public static NodeConfig load(Path file) throws ConfigException {
        ConfigProblems problems = new ConfigProblems();
        Optional<NodeConfig> config = YamlDocument.read(file, problems)
                .flatMap(root -> readNode(root, baseDirOf(file)));
        problems.throwIfAny();
        return config.orElseThrow();
    }

    /**
     * Parses node configuration text; {@code source} names it in messages and a relative
     * {@code dataDir} is resolved against {@code baseDir}.
     */
    public static NodeConfig parse(String source, String yaml, Path baseDir) throws ConfigException {
        ConfigProblems problems = new ConfigProblems();
        Optional<NodeConfig> config = YamlDocument.parse(source, yaml, problems)
                .flatMap(root -> readNode(root, baseDir));
        problems.throwIfAny();
        return config.orElseThrow();
    }

    /** The directory relative paths in a configuration file are resolved against. */
    public static Path baseDirOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    /** Reads a county, city or province configuration from its document root. */
    static Optional<NodeConfig> readNode(YamlNode root, Path baseDir) {
        ConfigProblems problems = root.problems();
        int before = problems.count();
        Optional<YamlMap> mapOpt = root.asMap();
        if (mapOpt.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = mapOpt.get();
        m.checkKeys(NODE_KEYS);
        Optional<String> id = m.require("id").flatMap(NodeConfigLoader::readName);
        Optional<NodeRole> role = m.require("role").flatMap(n -> {
            if (n.asString().filter(s -> s.equals("edge")).isPresent()) {
                n.error("role edge is not configured here: an edge agent has its own configuration with a"
                        + " 'node:' section (see docs/config-reference.md)");
                return Optional.empty();
            }
            return n.asOneOf(SERVER_ROLES);
        });
        Optional<Path> dataDir = m.require("dataDir").flatMap(n -> readPath(n, baseDir));
        Optional<Endpoint> listen = m.require("listen").flatMap(n -> readEndpoint(n, 0));
        Optional<Optional<Endpoint>> http = readOptionalEndpoint(m, "http");
        Optional<List<ParentLink>> parents = readParents(m, id.orElse(""));
        Optional<List<ChildSpec>> children = readChildren(m, id.orElse(""));
        long quota = readQuota(m);
        if (role.isPresent() && parents.isPresent()) {
            if (role.get() == NodeRole.PROVINCE && !parents.get().isEmpty()) {
                m.get("parents").orElseThrow().error("a province has no parents; remove this list");
            } else if (role.get() != NodeRole.PROVINCE && parents.get().isEmpty()) {
                requireNonEmptyParents(m, SERVER_ROLES.entrySet().stream()
                        .filter(e -> e.getValue() == role.get()).findFirst().orElseThrow().getKey());
            }
        }
        if (problems.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new NodeConfig(id.orElseThrow(), role.orElseThrow(), dataDir.orElseThrow(),
                listen, http.orElseThrow(), parents.orElseThrow(), children.orElseThrow(), quota));
    }

    /**
     * Reads the {@code node:} section of an edge configuration: {@code id}, {@code dataDir},
     * {@code parents} (at least one) and an optional {@code http} endpoint. The role is
     * {@link NodeRole#EDGE}; an edge neither listens for children nor has any.
     */
    public static Optional<NodeConfig> readEdgeNode(YamlMap m, Path baseDir) {
        ConfigProblems problems = m.node().problems();
        int before = problems.count();
        for (String serverOnly : List.of("listen", "children", "role")) {
            m.keyLocation(serverOnly).ifPresent(where -> problems.add(where, m.path() + ": '" + serverOnly
                    + "' is not allowed in an edge's node section (an edge has no children; its role is edge)"));
        }
        List<String> allowed = new ArrayList<>(EDGE_NODE_KEYS);
        allowed.addAll(List.of("listen", "children", "role")); // reported above with a better message
        m.checkKeys(allowed);
        Optional<String> id = m.require("id").flatMap(NodeConfigLoader::readName);
        Optional<Path> dataDir = m.require("dataDir").flatMap(n -> readPath(n, baseDir));
        Optional<Optional<Endpoint>> http = readOptionalEndpoint(m, "http");
        Optional<List<ParentLink>> parents = readParents(m, id.orElse(""));
        long quota = readQuota(m);
        if (parents.isPresent() && parents.get().isEmpty()) {
            requireNonEmptyParents(m, "an edge");
        }
        if (problems.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new NodeConfig(id.orElseThrow(), NodeRole.EDGE, dataDir.orElseThrow(),
                Optional.empty(), http.orElseThrow(), parents.orElseThrow(), List.of(), quota));
    }

    /** {@code journalQuotaMb}: the journal's disk quota in MiB, 0 or absent for none. */
    private static long readQuota(YamlMap m) {
        return m.integer("journalQuotaMb", 0, 16 * 1024 * 1024).map(mb -> mb * 1024L * 1024L).orElse(0L);
    }

    private static void requireNonEmptyParents(YamlMap m, String who) {
        Optional<YamlNode> list = m.get("parents");
        String message = who + " needs at least one parent to forward to";
        if (list.isPresent()) {
            list.get().error(message);
        } else {
            m.node().error("missing required key 'parents': " + message);
        }
    }

    /** A name: letters, digits, '.', '_', '-', at most 64 characters, starting with a letter or digit. */
    public static Optional<String> readName(YamlNode n) {
        return n.asString().flatMap(s -> {
            if (!NAME.matcher(s).matches()) {
                n.error("'" + s + "' is not a valid name: use letters, digits, '.', '_' and '-' (at most 64,"
                        + " starting with a letter or digit)");
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }

    static Optional<Path> readPath(YamlNode n, Path baseDir) {
        return n.asString().flatMap(s -> {
            try {
                Path p = Path.of(s);
                return Optional.of(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize());
            } catch (InvalidPathException e) {
                n.error("not a valid path: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    /** {@code {host, port}} with the port in {@code minPort..65535}. */
    public static Optional<Endpoint> readEndpoint(YamlNode n, int minPort) {
        return n.asMap().flatMap(m -> {
            m.checkKeys("host", "port");
            Optional<String> host = m.requireString("host");
            Optional<Integer> port = m.requireInteger("port", minPort, 65535);
            return host.isPresent() && port.isPresent()
                    ? Optional.of(new Endpoint(host.get(), port.get())) : Optional.empty();
        });
    }

    /** Empty-inside-present when the key is absent; empty when it is present and wrong. */
    private static Optional<Optional<Endpoint>> readOptionalEndpoint(YamlMap m, String key) {
        Optional<YamlNode> n = m.get(key);
        if (n.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        return readEndpoint(n.get(), 0).map(Optional::of);
    }

    /** {@code parents: [{id, host, port}]}, in order of preference; absent is an empty list. */
    public static Optional<List<ParentLink>> readParents(YamlMap m, String selfId) {
        Optional<List<YamlNode>> items = m.list("parents");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        int before = m.node().problems().count();
        List<ParentLink> parents = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode item : items.get()) {
            item.asMap().ifPresent(p -> {
                p.checkKeys("id", "host", "port", "profile", "chosenPoints");
                Optional<String> id = p.require("id").flatMap(NodeConfigLoader::readName);
                Optional<String> host = p.requireString("host");
                Optional<Integer> port = p.requireInteger("port", 1, 65535);
                Optional<LinkProfile> profile = p.get("profile").flatMap(n -> n.asString().flatMap(name -> {
                    Optional<LinkProfile> found = LinkProfile.named(name);
                    if (found.isEmpty()) {
                        n.error("unknown link profile '" + name + "'; profiles: " + String.join(", ",
                                LinkProfile.presets().stream().map(LinkProfile::name).toList()));
                    }
                    return found;
                }));
                Optional<PointSelection> chosen = readChosenPoints(p);
                id.ifPresent(i -> {
                    if (i.equals(selfId)) {
                        p.get("id").orElseThrow().error("a node cannot be its own parent");
                    }
                    // the same parent may be listed twice, over two links (command network and VSAT)
                    String key = i + "@" + host.orElse("") + ":" + port.orElse(0);
                    Integer firstLine = seen.putIfAbsent(key, p.location().line());
                    if (firstLine != null) {
                        p.get("id").orElseThrow().error("duplicate parent '" + i + "' at the same address (first at"
                                + " line " + firstLine + ")");
                    }
                });
                if (id.isPresent() && host.isPresent() && port.isPresent() && chosen.isPresent()) {
                    parents.add(new ParentLink(id.get(), new Endpoint(host.get(), port.get()), profile, chosen.get()));
                }
            });
        }
        return m.node().problems().count() > before ? Optional.empty() : Optional.of(List.copyOf(parents));
    }

    /**
     * {@code chosenPoints: [point or glob, ...]} of a parent entry: the points whose raw readings go out
     * right behind the alarms on that link, ahead of the rollups and everything else (docs/config-reference.md).
     * Absent is none. Each entry is a full point name or a glob ({@code *} any characters, {@code ?} one);
     * an empty list, an entry that is not a string, an invalid pattern or one listed twice is an error at
     * its own line and column.
     */
    static Optional<PointSelection> readChosenPoints(YamlMap parent) {
        Optional<YamlNode> node = parent.get("chosenPoints");
        if (node.isEmpty()) {
            return Optional.of(PointSelection.NONE);
        }
        return node.get().asList().flatMap(items -> {
            if (items.isEmpty()) {
                node.get().error("needs at least one point or pattern; leave the key out to send every point alike");
                return Optional.empty();
            }
            List<String> patterns = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean ok = true;
            for (YamlNode item : items) {
                Optional<String> s = item.asString();
                if (s.isEmpty()) {
                    ok = false;
                    continue;
                }
                Optional<String> problem = PointSelection.problem(s.get());
                if (problem.isPresent()) {
                    item.error("chosen point '" + s.get() + "': " + problem.get());
                    ok = false;
                    continue;
                }
                Integer first = seen.putIfAbsent(s.get(), item.location().line());
                if (first != null) {
                    item.error("chosen point '" + s.get() + "' listed twice (first at line " + first + ")");
                    ok = false;
                    continue;
                }
                patterns.add(s.get());
            }
            return ok ? Optional.of(PointSelection.of(patterns)) : Optional.empty();
        });
    }

    /** {@code children: [{id, originPrefixes?}]}; absent is an empty list. */
    static Optional<List<ChildSpec>> readChildren(YamlMap m, String selfId) {
        Optional<List<YamlNode>> items = m.list("children");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        int before = m.node().problems().count();
        List<ChildSpec> children = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode item : items.get()) {
            item.asMap().ifPresent(c -> {
                c.checkKeys("id", "originPrefixes");
                Optional<String> id = c.require("id").flatMap(NodeConfigLoader::readName);
                id.ifPresent(i -> {
                    if (i.equals(selfId)) {
                        c.get("id").orElseThrow().error("a node cannot be its own child");
                    }
                    Integer firstLine = seen.putIfAbsent(i, c.location().line());
                    if (firstLine != null) {
                        c.get("id").orElseThrow().error("duplicate child '" + i + "' (first at line "
                                + firstLine + ")");
                    }
                });
                Optional<List<String>> prefixes = readPrefixes(c, id);
                if (id.isPresent() && prefixes.isPresent()) {
                    children.add(new ChildSpec(id.get(), prefixes.get()));
                }
            });
        }
        return m.node().problems().count() > before ? Optional.empty() : Optional.of(List.copyOf(children));
    }

    private static Optional<List<String>> readPrefixes(YamlMap child, Optional<String> id) {
        Optional<YamlNode> node = child.get("originPrefixes");
        if (node.isEmpty()) {
            return id.map(i -> List.of(ChildSpec.defaultPrefix(i)));
        }
        return node.get().asList().flatMap(items -> {
            if (items.isEmpty()) {
                node.get().error("needs at least one prefix; leave the key out to use the default");
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            for (YamlNode item : items) {
                item.asString().ifPresent(out::add);
            }
            return out.size() == items.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }
}
