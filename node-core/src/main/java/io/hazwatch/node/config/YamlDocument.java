package io.hazwatch.node.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML document into a tree of {@link YamlNode}s that remember where each value was written.
 * Uses SnakeYAML's composer only (no object construction, so no tags can instantiate classes); merge
 * keys ({@code <<: *anchor}) are resolved while composing.
 *
 * <p>A syntax error, an unreadable file or an empty document is recorded in the given
 * {@link ConfigProblems} and the result is empty.
 */
public final class YamlDocument {

    /** Configurations are small; refuse anything larger than this many code points. */
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private YamlDocument() {
    }

    /** Reads a UTF-8 file; the source name in locations is the path as given. */
    public static Optional<YamlNode> read(Path file, ConfigProblems problems) {
        String source = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            problems.add(Location.startOf(source), "file is not valid UTF-8");
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Location.startOf(source), "cannot read file: " + describe(e));
            return Optional.empty();
        }
        return parse(source, text, problems);
    }

    /** Parses YAML text; {@code source} names it in locations (a file name, or e.g. "inline"). */
    public static Optional<YamlNode> parse(String source, String text, ConfigProblems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setMergeOnCompose(true);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(100);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(32);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location where = mark == null ? Location.startOf(source)
                    : new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(where, "YAML syntax error: " + e.getProblem() + context);
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(Location.startOf(source), "YAML error: " + e.getMessage());
            return Optional.empty();
        }
        if (root == null) {
            problems.add(Location.startOf(source), "the document is empty");
            return Optional.empty();
        }
        return Optional.of(new YamlNode(root, source, "", problems));
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " " + e.getMessage();
    }
}
