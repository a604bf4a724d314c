package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** RFC 9457 problem details: every error answer, with a stable {@code type} per failure. */
final class Problems {
    /** The base of every problem type; the slug names the failure. */
    static final String TYPE_BASE = "https://truce.example/problems/";

    private Problems() {}

    static void send(Context ctx, int status, String slug, String title, String detail) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("type", TYPE_BASE + slug);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        p.put("instance", ctx.path());
        ctx.status(status).contentType("application/problem+json").result(p.toString());
    }
}
