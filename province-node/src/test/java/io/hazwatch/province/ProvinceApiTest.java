package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.node.http.HttpApi;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The province's JSON API (docs/province-api.md) over real HTTP, against a store filled the way it is
 * in service: by a registered child over the sync protocol. One province and one edge serve every
 * test; no test changes what is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvinceApiTest {
    static final String PROVINCE = "130000";
    static final String EDGE = "130102-E0001-01";
    static final String LEVEL = EDGE + "/tank-farm/tank1.level";
    static final String PUMP = EDGE + "/tank-farm/pump1.running";
    /** 2026-05-28T...; readings of LEVEL are at T0 + i seconds, i = 0..9. */
    static final long T0 = 1_780_000_000_000L;
    static final int LEVEL_READINGS = 10;
    static final int ROLLUPS = 2;
    /** Catalogue records: LEVEL published twice (the second with other limits), PUMP once. */
    static final int CATALOGUE = 3;

    @TempDir
    static Path dir;

    private ProvinceNode province;
    private NodeRuntime edge;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long alarmTs;
    private int totalRecords;

    @BeforeAll
    void startProvinceAndDeliverThroughAChild() throws IOException {
        Clock clock = Clock.systemUTC();
        province = ProvinceNode.start(new NodeConfig(PROVINCE, NodeRole.PROVINCE, dir.resolve(PROVINCE),
                Optional.of(new Endpoint("127.0.0.1", 0)), Optional.of(new Endpoint("127.0.0.1", 0)),
                List.of(), List.of(ChildSpec.withDefaultPrefix(EDGE))), clock, false);
        edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve(EDGE), Optional.empty(),
                Optional.empty(), List.of(new ParentLink(PROVINCE,
                        new Endpoint("127.0.0.1", province.runtime().listenAddress().orElseThrow().getPort()))),
                List.of()), clock);

        // the newest half first: the answer must be in time order, not in arrival order
        List<Reading> newer = new ArrayList<>();
        List<Reading> older = new ArrayList<>();
        for (int i = 0; i < LEVEL_READINGS; i++) {
            Reading r = new Reading(LEVEL, T0 + i * 1000L, PointValue.of(1.5 + i * 0.25), 0);
            (i >= LEVEL_READINGS / 2 ? newer : older).add(r);
        }
        edge.localSink().append(Lane.CURRENT, newer);
        edge.localSink().append(Lane.CURRENT, older);
        edge.localSink().append(Lane.CURRENT, List.of(
                new Reading(PUMP, T0, PointValue.of(true), 0),
                new Reading(PUMP, T0 + 1000, PointValue.NONE, 17),
                new Reading(PUMP, T0 + 2000, PointValue.of(42L), 1)));
        alarmTs = clock.millis() - 5_000;
        edge.localSink().append(Lane.ALARM, List.of(
                new AlarmEvent(LEVEL, alarmTs - 60_000, AlarmLimit.H, 2, true, 17.25, 17.0),
                new AlarmEvent(LEVEL, alarmTs, AlarmLimit.H, 2, false, 16.5, 17.0)));
        totalRecords = LEVEL_READINGS + 3 + 2;
        edge.localSink().append(Lane.META, List.of(
                new PointInfo(LEVEL, T0, "m", "float32", Optional.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), Optional.empty(), Map.of(AlarmLimit.H, 16.0)),
                PointInfo.of(PUMP, T0, "", "bool")));
        edge.localSink().append(Lane.META, List.of(
                new PointInfo(LEVEL, T0 + 60_000, "m", "float32", Optional.of("Tank 1 level"), OptionalDouble.of(0.01),
                        OptionalDouble.of(-1.0), Optional.of(new PointInfo.EngineeringRange(0.0, 20.0)),
                        Map.of(AlarmLimit.H, 17.0, AlarmLimit.HH, 18.0, AlarmLimit.LL, 0.5))));

        await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedRecords() == totalRecords);
        // the edge rolls up the minute of those readings (long past) at its next wall-clock flush: one
        // rollup of LEVEL, one of PUMP (its true and 42; the valueless reading counts only in the quality)
        await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedRollups() == ROLLUPS);
        await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedPointInfo() == CATALOGUE);
        // pending drops to zero only once the ack arrived, i.e. after the child's counters were updated
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.journal().orElseThrow().pendingCount() == 0);
    }

    @AfterAll
    void stop() {
        if (edge != null) {
            edge.close();
        }
        if (province != null) {
            province.close();
        }
    }

    // ---- helpers

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + province.runtime().httpPort().orElseThrow() + pathAndQuery);
    }

    private JsonNode ok(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).as("status of %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
        return HttpApi.JSON.readTree(r.body());
    }

    /** Asserts a 4xx with a JSON error that contains every part, and returns the error text. */
    private String refused(int status, String pathAndQuery, String... parts) throws IOException, InterruptedException {
        return refused(status, get(pathAndQuery), parts);
    }

    private static String refused(int status, HttpResponse<String> r, String... parts) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = HttpApi.JSON.readTree(r.body());
        String error = body.path("error").asText();
        assertThat(error).as("error message").isNotBlank();
        for (String p : parts) {
            assertThat(error).contains(p);
        }
        return error;
    }

    private static String readings(String point, String more) {
        return "/api/readings?point=" + enc(point) + more;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<Long> timestamps(JsonNode answer) {
        List<Long> out = new ArrayList<>();
        answer.path("readings").forEach(r -> out.add(r.path("ts").asLong()));
        return out;
    }

    private static List<Long> levelTimes(int fromIndex, int toIndex) {
        List<Long> out = new ArrayList<>();
        for (int i = fromIndex; i <= toIndex; i++) {
            out.add(T0 + i * 1000L);
        }
        return out;
    }

    // ---- rollups

    @Test
    void rollupsOfAPointComeWithCountMinMaxMeanLastAndQualities() throws Exception {
        JsonNode a = ok("/api/rollups?point=" + enc(LEVEL));

        assertThat(a.path("count").asInt()).isEqualTo(1);
        assertThat(a.path("truncated").asBoolean()).isFalse();
        JsonNode r = a.path("rollups").get(0);
        long minute = T0 - T0 % 60_000;
        assertThat(r.path("origin").asText()).isEqualTo(EDGE);
        assertThat(r.path("minute").asLong()).isEqualTo(minute);
        assertThat(r.path("time").asText()).isEqualTo(Instant.ofEpochMilli(minute).toString());
        assertThat(r.path("count").asLong()).isEqualTo(LEVEL_READINGS);
        assertThat(r.path("min").asDouble()).isEqualTo(1.5);
        assertThat(r.path("max").asDouble()).isEqualTo(3.75);
        assertThat(r.path("mean").asDouble()).isEqualTo(2.625);
        assertThat(r.path("last").asDouble()).isEqualTo(3.75);
        assertThat(r.path("lastTs").asLong()).isEqualTo(T0 + 9_000);
        assertThat(r.path("worstQuality").asInt()).isZero();

        JsonNode pump = ok("/api/rollups?point=" + enc(PUMP)).path("rollups").get(0);
        assertThat(pump.path("count").asLong()).as("true and 42; the valueless reading is not a number").isEqualTo(2);
        assertThat(pump.path("worstQuality").asInt()).as("but its timeout is the minute's worst").isEqualTo(17);
        assertThat(pump.path("lastQuality").asInt()).isEqualTo(1);
    }

    @Test
    void rollupsOutsideTheAskedRangeAreLeftOutAndBadRangesAreRefused() throws Exception {
        long minute = T0 - T0 % 60_000;
        assertThat(ok("/api/rollups?point=" + enc(LEVEL) + "&from=" + (minute + 1)).path("count").asInt()).isZero();
        assertThat(ok("/api/rollups?point=" + enc(LEVEL) + "&to=" + minute).path("count").asInt()).isEqualTo(1);
        refused(400, "/api/rollups", "parameter 'point' is required");
        refused(400, "/api/rollups?point=x&from=10&to=5", "'to' (5) is before 'from' (10)");
    }

    // ---- health and status

    @Test
    void healthSaysUpWithTheNodeId() throws Exception {
        JsonNode h = ok("/health");

        assertThat(h.path("status").asText()).isEqualTo("up");
        assertThat(h.path("id").asText()).isEqualTo(PROVINCE);
    }

    @Test
    void statusListsTheChildAndTheOriginWithTheRecordsTheyDelivered() throws Exception {
        JsonNode s = ok("/status");

        assertThat(s.path("node").path("id").asText()).isEqualTo(PROVINCE);
        assertThat(s.path("node").path("role").asText()).isEqualTo("province");
        assertThat(s.path("storedRecords").asLong()).isEqualTo(totalRecords);
        assertThat(s.path("duplicatesDropped").asLong()).isZero();

        JsonNode child = s.path("node").path("children").path(EDGE);
        assertThat(child.isObject()).as("child %s in %s", EDGE, s).isTrue();
        assertThat(child.path("connected").asBoolean()).isTrue();
        assertThat(child.path("records").asLong()).isEqualTo(totalRecords + ROLLUPS + CATALOGUE);
        assertThat(s.path("storedRollups").asLong()).isEqualTo(ROLLUPS);
        assertThat(s.path("storedPointInfo").asLong()).isEqualTo(CATALOGUE);
        assertThat(child.path("refusals").asLong()).isZero();

        JsonNode origin = s.path("origins").path(EDGE);
        assertThat(origin.path("records").asLong()).isEqualTo(totalRecords + ROLLUPS + CATALOGUE);
        assertThat(origin.path("recordsByLane").path("ROLLUP").asLong()).isEqualTo(ROLLUPS);
        assertThat(origin.path("recordsByLane").path("META").asLong()).isEqualTo(CATALOGUE);
        assertThat(origin.path("recordsByLane").path("CURRENT").asLong()).isEqualTo(LEVEL_READINGS + 3);
        assertThat(origin.path("recordsByLane").path("ALARM").asLong()).isEqualTo(2);
        assertThat(origin.path("lastSeqByLane").path("CURRENT").asLong()).isEqualTo(LEVEL_READINGS + 3 - 1);
        assertThat(origin.path("gaps").asLong()).isZero();
        assertThat(s.path("origins").size()).as("origins").isEqualTo(1);
    }

    // ---- the point catalogue

    @Test
    void theCatalogueServesTheLatestEntryOfEveryPointWithUnitTypeAndLimits() throws Exception {
        JsonNode body = ok("/api/points");

        assertThat(body.path("count").asInt()).isEqualTo(2);
        assertThat(body.path("truncated").asBoolean()).isFalse();
        // by point id: pump1.running before tank1.level
        JsonNode level = body.path("points").get(1);
        assertThat(level.path("point").asText()).isEqualTo(LEVEL);
        assertThat(level.path("origin").asText()).isEqualTo(EDGE);
        assertThat(level.path("seq").asLong()).as("the later publication").isEqualTo(2);
        assertThat(level.path("published").asLong()).isEqualTo(T0 + 60_000);
        assertThat(level.path("unit").asText()).isEqualTo("m");
        assertThat(level.path("dataType").asText()).isEqualTo("float32");
        assertThat(level.path("description").asText()).isEqualTo("Tank 1 level");
        assertThat(level.path("scale").asDouble()).isEqualTo(0.01);
        assertThat(level.path("offset").asDouble()).isEqualTo(-1.0);
        assertThat(level.path("range").path("low").asDouble()).isEqualTo(0.0);
        assertThat(level.path("range").path("high").asDouble()).isEqualTo(20.0);
        assertThat(HttpApi.JSON.convertValue(level.path("limits"), Map.class))
                .isEqualTo(Map.of("HH", 18.0, "H", 17.0, "LL", 0.5));
        JsonNode pump = body.path("points").get(0);
        assertThat(pump.path("point").asText()).isEqualTo(PUMP);
        assertThat(pump.path("dataType").asText()).isEqualTo("bool");
        assertThat(pump.path("description").isNull()).isTrue();
        assertThat(pump.path("scale").isNull()).isTrue();
        assertThat(pump.path("range").isNull()).isTrue();
        assertThat(pump.path("limits").size()).isZero();
    }

    @Test
    void theCatalogueIsFilteredByOriginAndByPointPrefixTakenLiterally() throws Exception {
        assertThat(ok("/api/points?prefix=" + enc(EDGE + "/tank-farm/pump")).path("points"))
                .extracting(p -> p.path("point").asText()).containsExactly(PUMP);
        assertThat(ok("/api/points?origin=" + enc(EDGE)).path("count").asInt()).isEqualTo(2);
        assertThat(ok("/api/points?origin=130102-E0009-01").path("count").asInt()).isZero();
        assertThat(ok("/api/points?prefix=" + enc("%")).path("count").asInt()).as("% is no wildcard").isZero();
        assertThat(ok("/api/points?limit=1").path("truncated").asBoolean()).isTrue();
    }

    // ---- readings

    @Test
    void readingsOfAPointAreExactlyTheStoredOnesInTimeOrderWithTheirValues() throws Exception {
        JsonNode a = ok(readings(LEVEL, "&from=" + T0 + "&to=" + (T0 + 9_000)));

        assertThat(a.path("point").asText()).isEqualTo(LEVEL);
        assertThat(a.path("count").asInt()).isEqualTo(LEVEL_READINGS);
        assertThat(a.path("truncated").asBoolean()).isFalse();
        assertThat(timestamps(a)).containsExactlyElementsOf(levelTimes(0, 9));
        for (int i = 0; i < LEVEL_READINGS; i++) {
            JsonNode r = a.path("readings").get(i);
            assertThat(r.path("origin").asText()).isEqualTo(EDGE);
            assertThat(r.path("value").asDouble()).as("value %d", i).isEqualTo(1.5 + i * 0.25);
            assertThat(r.path("quality").asInt()).isZero();
            assertThat(r.path("time").asText()).isEqualTo(Instant.ofEpochMilli(T0 + i * 1000L).toString());
        }
        // sent newest half first, so the oldest reading has a higher sequence than the newest
        assertThat(a.path("readings").get(0).path("seq").asLong())
                .isGreaterThan(a.path("readings").get(LEVEL_READINGS - 1).path("seq").asLong());
    }

    @Test
    void fromAndToAreInclusiveAndOtherPointsAreLeftOut() throws Exception {
        JsonNode a = ok(readings(LEVEL, "&from=" + (T0 + 2_000) + "&to=" + (T0 + 4_000)));

        assertThat(timestamps(a)).containsExactlyElementsOf(levelTimes(2, 4));
        assertThat(a.path("readings").findValuesAsText("origin")).containsOnly(EDGE);
    }

    @Test
    void isoInstantsSelectTheSameReadingsAsEpochMilliseconds() throws Exception {
        String from = Instant.ofEpochMilli(T0 + 2_000).toString();
        String to = Instant.ofEpochMilli(T0 + 4_000).toString();

        JsonNode a = ok(readings(LEVEL, "&from=" + enc(from) + "&to=" + enc(to)));

        assertThat(timestamps(a)).containsExactlyElementsOf(levelTimes(2, 4));
        assertThat(a.path("from").asLong()).isEqualTo(T0 + 2_000);
        assertThat(a.path("to").asLong()).isEqualTo(T0 + 4_000);
    }

    @Test
    void withoutFromAndToEveryReadingOfThePointIsReturned() throws Exception {
        JsonNode a = ok(readings(LEVEL, ""));

        assertThat(timestamps(a)).containsExactlyElementsOf(levelTimes(0, 9));
        assertThat(a.path("to").isNull()).isTrue();
    }

    @Test
    void booleanLongAndMissingValuesComeBackWithTheirTypesAndQuality() throws Exception {
        JsonNode rs = ok(readings(PUMP, "")).path("readings");

        assertThat(rs.size()).isEqualTo(3);
        assertThat(rs.get(0).path("value").isBoolean()).isTrue();
        assertThat(rs.get(0).path("value").asBoolean()).isTrue();
        assertThat(rs.get(1).path("value").isNull()).isTrue();
        assertThat(rs.get(1).path("quality").asInt()).isEqualTo(17);
        assertThat(rs.get(2).path("value").isIntegralNumber()).isTrue();
        assertThat(rs.get(2).path("value").asLong()).isEqualTo(42L);
        assertThat(rs.get(2).path("quality").asInt()).isEqualTo(1);
    }

    @Test
    void aPointWithNoReadingsGetsAnEmptyListNotAnError() throws Exception {
        JsonNode a = ok(readings(EDGE + "/tank-farm/no-such.point", ""));

        assertThat(a.path("count").asInt()).isZero();
        assertThat(a.path("readings").size()).isZero();
        assertThat(a.path("truncated").asBoolean()).isFalse();
    }

    @Test
    void aLimitReturnsTheOldestReadingsAndSaysTheAnswerIsTruncated() throws Exception {
        JsonNode a = ok(readings(LEVEL, "&limit=3"));

        assertThat(a.path("count").asInt()).isEqualTo(3);
        assertThat(timestamps(a)).containsExactlyElementsOf(levelTimes(0, 2));
        assertThat(a.path("truncated").asBoolean()).isTrue();
    }

    @Test
    void aLimitThatFitsEveryReadingIsNotReportedAsTruncated() throws Exception {
        // docs/province-api.md: "truncated: true says there is more"
        JsonNode exact = ok(readings(LEVEL, "&limit=" + LEVEL_READINGS));
        JsonNode roomy = ok(readings(LEVEL, "&limit=" + (LEVEL_READINGS + 1)));

        assertThat(exact.path("count").asInt()).isEqualTo(LEVEL_READINGS);
        assertThat(exact.path("truncated").asBoolean()).as("exactly limit readings, none left").isFalse();
        assertThat(roomy.path("truncated").asBoolean()).isFalse();
    }

    // ---- alarms

    @Test
    void alarmsComeNewestFirstWithEveryField() throws Exception {
        JsonNode a = ok("/api/alarms");

        assertThat(a.path("count").asInt()).isEqualTo(2);
        JsonNode cleared = a.path("alarms").get(0);
        assertThat(cleared.path("origin").asText()).isEqualTo(EDGE);
        assertThat(cleared.path("seq").asLong()).isEqualTo(1);
        assertThat(cleared.path("point").asText()).isEqualTo(LEVEL);
        assertThat(cleared.path("ts").asLong()).isEqualTo(alarmTs);
        assertThat(cleared.path("time").asText()).isEqualTo(Instant.ofEpochMilli(alarmTs).toString());
        assertThat(cleared.path("limit").asText()).isEqualTo("H");
        assertThat(cleared.path("level").asInt()).isEqualTo(2);
        assertThat(cleared.path("raised").asBoolean()).isFalse();
        assertThat(cleared.path("value").asDouble()).isEqualTo(16.5);
        assertThat(cleared.path("threshold").asDouble()).isEqualTo(17.0);
        // raised 5 s before it was appended, so at least that long before the province committed it
        assertThat(cleared.path("receivedLagMillis").asLong()).isBetween(5_000L, 65_000L);

        JsonNode raised = a.path("alarms").get(1);
        assertThat(raised.path("seq").asLong()).isZero();
        assertThat(raised.path("raised").asBoolean()).isTrue();
        assertThat(raised.path("value").asDouble()).isEqualTo(17.25);
        assertThat(raised.path("ts").asLong()).isEqualTo(alarmTs - 60_000);
    }

    @Test
    void alarmsSinceATimeAndUpToALimitLeaveTheOthersOut() throws Exception {
        assertThat(ok("/api/alarms?since=" + (alarmTs - 1)).path("alarms").findValuesAsText("raised"))
                .containsExactly("false");
        assertThat(ok("/api/alarms?since=" + enc(Instant.ofEpochMilli(alarmTs).toString())).path("count").asInt())
                .isEqualTo(1);
        assertThat(ok("/api/alarms?limit=1").path("alarms").get(0).path("ts").asLong()).isEqualTo(alarmTs);
    }

    // ---- refusals

    @Test
    void aReadingsRequestWithoutAPointIsRefusedNamingThePointParameter() throws Exception {
        refused(400, "/api/readings", "'point'");
        refused(400, "/api/readings?point=&from=0", "'point'");
    }

    @Test
    void aFromThatIsNoTimeIsRefusedNamingFromAndTheValue() throws Exception {
        refused(400, readings(LEVEL, "&from=yesterday"), "'from'", "yesterday");
        refused(400, readings(LEVEL, "&from=" + enc("2026-13-45T99:00:00Z")), "'from'");
    }

    @Test
    void aToBeforeFromIsRefusedNamingTo() throws Exception {
        refused(400, readings(LEVEL, "&from=" + (T0 + 5_000) + "&to=" + T0), "'to'", "'from'");
    }

    @Test
    void aLimitOutsideItsRangeOrNotANumberIsRefusedNamingLimit() throws Exception {
        refused(400, readings(LEVEL, "&limit=0"), "'limit'", "1..10000");
        refused(400, readings(LEVEL, "&limit=99999"), "'limit'", "99999");
        refused(400, readings(LEVEL, "&limit=abc"), "'limit'", "abc");
        refused(400, "/api/alarms?limit=-1", "'limit'");
        refused(400, "/api/alarms?since=soon", "'since'");
    }

    @Test
    void aPostIsRefusedWithMethodNotAllowed() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(readings(LEVEL, "")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        refused(405, r, "GET");
        refused(405, send(HttpRequest.newBuilder(uri("/status")).DELETE()), "GET");
    }

    @Test
    void anUnknownPathUnderARouteIsNotFound() throws Exception {
        refused(404, "/api/readings/extra?point=" + enc(LEVEL), "/api/readings/extra");
        refused(404, "/status/x", "/status/x");
    }

    @Test
    void afterRefusedRequestsTheNodeStillAnswersAndStillHoldsEverything() throws Exception {
        for (int i = 0; i < 20; i++) {
            refused(400, readings(LEVEL, "&limit=abc" + i), "'limit'");
            send(HttpRequest.newBuilder(uri("/api/alarms")).PUT(HttpRequest.BodyPublishers.ofString("x")));
        }

        assertThat(ok("/health").path("status").asText()).isEqualTo("up");
        assertThat(ok(readings(LEVEL, "")).path("count").asInt()).isEqualTo(LEVEL_READINGS);
        assertThat(ok("/status").path("storedRecords").asLong()).isEqualTo(totalRecords);
    }
}
