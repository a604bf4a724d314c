package org.truce.cli.incident;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Which incidents a command reads: the API's incident filter as options. */
final class FilterOptions {
    @Option(names = "--from", paramLabel = "TIME", description = "Only incidents whose event time ends after TIME (RFC 3339, UTC).")
    @Nullable String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only incidents whose event time starts before TIME.")
    @Nullable String to;

    @Option(names = "--bbox", paramLabel = "W,S,E,N", description = "Only incidents inside this box, in degrees.")
    @Nullable String bbox;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only incidents of this ACLED event or sub-event type.")
    @Nullable String type;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Only incidents linked to this actor id.")
    @Nullable String actor;

    @Option(names = "--party", paramLabel = "PARTY", description = "Only incidents this party recorded or gave a claim about.")
    @Nullable String party;

    @Option(names = "--region", paramLabel = "NAME", description = "Only incidents in this first-level administrative region.")
    @Nullable String region;

    @Option(names = "--contested", description = "Only incidents whose claims disagree.")
    boolean contested;

    @Option(names = "--has-claims", description = "Only incidents with claims.")
    boolean hasClaims;

    @Option(names = "--notified", description = "Only incidents that touch notified sites or movements.")
    boolean notified;

    /** The query parameters of the filter. */
    Map<String, @Nullable String> query() {
        Map<String, @Nullable String> q = new LinkedHashMap<>();
        q.put("from", from);
        q.put("to", to);
        q.put("bbox", bbox);
        q.put("type", type);
        q.put("actor", actor);
        q.put("party", party);
        q.put("region", region);
        q.put("contested", contested ? "true" : null);
        q.put("hasClaims", hasClaims ? "true" : null);
        q.put("notified", notified ? "true" : null);
        q.put("at", null);
        return q;
    }
}
