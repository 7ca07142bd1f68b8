package io.hazwatch.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's slice of Hebei: the province (130000), two cities (Shijiazhuang 130100, Baoding 130600),
 * three counties (Chang'an 130102 under Shijiazhuang, Jingxiu 130602 under Baoding, and Dingzhou
 * 130682, which reports straight to the province) and two enterprises with an edge box per county.
 */
record Topology(List<Node> nodes) {

    enum Kind { PROVINCE, CITY, COUNTY, EDGE }

    /** One process of the demo. {@code simPort} is the edge's tank-farm simulator. */
    record Node(String id, String name, Kind kind, String parent, int port, int httpPort, int simPort) {
        boolean isRelay() {
            return kind == Kind.CITY || kind == Kind.COUNTY;
        }
    }

    static Topology hebei(PortAllocator ports) {
        List<Node> n = new ArrayList<>();
        n.add(new Node("130000", "Hebei province", Kind.PROVINCE, null, ports.next(), ports.next(), 0));
        n.add(new Node("130100", "Shijiazhuang", Kind.CITY, "130000", ports.next(), ports.next(), 0));
        n.add(new Node("130600", "Baoding", Kind.CITY, "130000", ports.next(), ports.next(), 0));
        n.add(new Node("130102", "Chang'an district", Kind.COUNTY, "130100", ports.next(), ports.next(), 0));
        n.add(new Node("130602", "Jingxiu district", Kind.COUNTY, "130600", ports.next(), ports.next(), 0));
        n.add(new Node("130682", "Dingzhou", Kind.COUNTY, "130000", ports.next(), ports.next(), 0));
        for (String county : List.of("130102", "130602", "130682")) {
            for (int e = 1; e <= 2; e++) {
                String id = county + "-E000" + e + "-01";
                n.add(new Node(id, "enterprise E000" + e + " of " + county, Kind.EDGE, county, 0, ports.next(),
                        ports.next()));
            }
        }
        return new Topology(List.copyOf(n));
    }

    Optional<Node> node(String id) {
        return nodes.stream().filter(x -> x.id().equals(id)).findFirst();
    }

    List<Node> of(Kind kind) {
        return nodes.stream().filter(x -> x.kind() == kind).toList();
    }

    List<Node> childrenOf(String id) {
        return nodes.stream().filter(x -> id.equals(x.parent())).toList();
    }

    Node province() {
        return of(Kind.PROVINCE).get(0);
    }
}
