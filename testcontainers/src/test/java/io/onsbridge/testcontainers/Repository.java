package io.onsbridge.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The checkout under test (surefire sets onsbridge.repo.root) and what the checks read from it. */
final class Repository {
    static final Path ROOT = Path.of(System.getProperty("onsbridge.repo.root", "..")).toAbsolutePath().normalize();

    private Repository() {
    }

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Document pom(String relative) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(relative).toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + relative, e);
        }
    }

    /** The text of the first element with this name, or null. */
    static String element(Document pom, String name) {
        NodeList nodes = pom.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    /** The root pom's modules, in order. */
    static List<String> modules() {
        NodeList nodes = pom("pom.xml").getElementsByTagName("module");
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(((Element) nodes.item(i)).getTextContent().trim());
        }
        return modules;
    }

    /** KEY=value pairs of a Dockerfile's ENV instructions (the one-line and continued forms). */
    static Map<String, String> dockerfileEnv(String dockerfile) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        Matcher instruction = Pattern.compile("(?m)^ENV\\s+((?:.*\\\\\\n)*.*)$").matcher(dockerfile);
        while (instruction.find()) {
            Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(instruction.group(1));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        }
        return env;
    }
}
