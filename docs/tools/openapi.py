"""Writes src/main/resources/openapi.json: the one description of Parley's HTTP API.

Edit this file, run `python3 docs/tools/openapi.py`, commit both. OpenApiTest checks the
result against the routes the server registers and the parameters it accepts.
"""
import json
import os

SOURCES = ["zendesk", "slack", "discord", "widget", "intercom", "ui", "api"]


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


def error(description):
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def param(name, description, schema, required=False, where="query", example=None):
    p = {"name": name, "in": where, "required": required, "description": description, "schema": schema}
    if example is not None:
        p["example"] = example
    return p


def filters(source_required):
    return [
        param("source", "`all`, or one or more sources, comma-separated or repeated." +
              ("" if source_required else " Default `all`."),
              {"type": "string"}, required=source_required, example="zendesk,slack"),
        param("startEpoch", "Conversations created at or after this time (epoch ms).",
              {"type": "integer", "format": "int64", "minimum": 0}, example=1633046400000),
        param("endEpoch", "Conversations created before this time (epoch ms); must be after startEpoch.",
              {"type": "integer", "format": "int64", "minimum": 0}, example=1635638400000),
        param("category", "Conversations having any of these categories (comma-separated).",
              {"type": "string"}, example="support"),
        param("feedbackType", "The conversation's feedback.",
              {"type": "string", "enum": ["thumbs_up", "thumbs_down", "no_feedback"]}, example="thumbs_down"),
        param("escalation", "Escalated or not; absent: either. Any case (`True`).", {"type": "boolean"}, example=True),
        param("hasLinks", "Cites knowledge or not; absent: either. Any case.", {"type": "boolean"}, example=False),
        param("userId", "The end user, exactly.", {"type": "string", "maxLength": 256}, example="user-42"),
        param("ticketId", "The ticket id in the customer's system (`externalId`), exactly.",
              {"type": "string", "maxLength": 256}, example="ticket456"),
        param("question", "Some question contains this, in any case (`%`, `_`, `\\` are literal).",
              {"type": "string", "maxLength": 500}, example="Example question?"),
        param("answer", "Extension: some answer contains this, in any case.",
              {"type": "string", "maxLength": 500}, example="refund"),
        param("sourceId", "Extension: some answer cited this knowledge source (`basedOn[].sourceId`).",
              {"type": "string", "maxLength": 256}, example="kb-refunds-1"),
    ]


STANDARD_ERRORS = {
    "401": error("No key, or a key that is unknown or revoked (`WWW-Authenticate: Bearer`)."),
    "403": error("The key lacks the scope this route needs."),
    "429": error("Too many requests for this key (`Retry-After`)."),
    "503": error("The store is unreachable (`Retry-After`)."),
}


def responses(ok, *extra):
    r = dict(ok)
    for code in extra:
        r[code] = {
            "400": error("A parameter or body field is invalid; `param` names it."),
            "404": error("This workspace has no such thing."),
            "409": error("Conflicts with what is stored."),
            "413": error("The body is too large."),
            "415": error("The body has the wrong media type."),
        }[code]
    r.update(STANDARD_ERRORS)
    return r


conversation_id = param("id", "A conversation id (UUID).", {"type": "string", "format": "uuid"}, required=True,
                        where="path")

spec = {
    "openapi": "3.0.3",
    "info": {
        "title": "Parley",
        "version": "1",
        "description": "Chat history for AI customer-support bots. `GET /v2/bots/requests/public` is "
                       "wire-compatible with Fini's API of the same name. Every error is "
                       "`{\"error\": {\"code\", \"message\", \"param\"}}`.",
    },
    "security": [{"bearer": []}],
    "paths": {
        "/v2/bots/requests/public": {"get": {
            "summary": "Conversations, newest first, filtered and paged by keyset",
            "operationId": "listConversations",
            "parameters": filters(True) + [
                param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                      example=20),
                param("cursor", "A conversation id from an earlier page (`nextCursor` or `prevCursor`).",
                      {"type": "string", "format": "uuid"}),
                param("direction", "`next` (older, the default) or `previous` (newer).",
                      {"type": "string", "enum": ["next", "previous"]}, example="next"),
            ],
            "responses": responses({"200": {"description": "A page.",
                                            "content": {"application/json": {"schema": ref("Page")}}}}, "400"),
        }},
        "/v2/bots/requests": {"post": {
            "summary": "Record one exchange",
            "operationId": "recordExchange",
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("Exchange")}}},
            "responses": responses({
                "201": {"description": "Recorded.", "content": {"application/json": {"schema": ref("PlacedRequest")}}},
                "200": {"description": "The same id and content were recorded before: the stored request.",
                        "content": {"application/json": {"schema": ref("PlacedRequest")}}},
            }, "400", "409", "413", "415"),
        }},
        "/v2/bots/requests/{id}/feedback": {"put": {
            "summary": "Set or clear the feedback on a bot request",
            "operationId": "setFeedback",
            "parameters": [param("id", "A bot request id (UUID).", {"type": "string", "format": "uuid"},
                                 required=True, where="path")],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["feedbackType"], "additionalProperties": False,
                "properties": {"feedbackType": {"type": "string", "nullable": True,
                                                "enum": ["thumbs_up", "thumbs_down", None]}}}}}},
            "responses": responses({"200": {"description": "The bot request now.",
                                            "content": {"application/json": {"schema": ref("PlacedRequest")}}}},
                                   "400", "404", "413", "415"),
        }},
        "/v2/bots/conversations/{id}": {
            "get": {
                "summary": "One conversation",
                "operationId": "getConversation",
                "parameters": [conversation_id],
                "responses": responses({"200": {"description": "The conversation.",
                                                "content": {"application/json": {"schema": ref("Conversation")}}}},
                                       "400", "404"),
            },
            "delete": {
                "summary": "Delete one conversation",
                "operationId": "deleteConversation",
                "parameters": [conversation_id],
                "responses": responses({"204": {"description": "Deleted."}}, "400", "404"),
            },
        },
        "/v2/bots/users/{userId}/conversations": {"delete": {
            "summary": "Erase one end user's history",
            "operationId": "eraseUser",
            "parameters": [param("userId", "The end user's id.", {"type": "string"}, required=True, where="path")],
            "responses": responses({"200": {"description": "How many conversations were deleted.",
                                            "content": {"application/json": {"schema": {
                                                "type": "object", "required": ["deleted"],
                                                "properties": {"deleted": {"type": "integer"}}}}}}}),
        }},
        "/v2/bots/conversations/export": {"get": {
            "summary": "Every matching conversation, newest first, streamed",
            "operationId": "exportConversations",
            "parameters": filters(False) + [
                param("format", "`ndjson` (default) or `csv`; `Accept: text/csv` also asks for CSV.",
                      {"type": "string", "enum": ["ndjson", "csv"]}, example="csv"),
            ],
            "responses": responses({"200": {"description": "NDJSON: one conversation a line. CSV (RFC 4180, UTF-8"
                                                           " with a byte-order mark): a row per bot request.",
                                            "content": {"application/x-ndjson": {"schema": ref("Conversation")},
                                                        "text/csv": {"schema": {"type": "string"}}}}}, "400"),
        }},
        "/v2/bots/conversations/import": {"post": {
            "summary": "Import conversations, all or nothing",
            "operationId": "importConversations",
            "requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": ref("Conversation")}}},
            "responses": responses({"200": {"description": "Imported.",
                                            "content": {"application/json": {"schema": {
                                                "type": "object", "required": ["imported"],
                                                "properties": {"imported": {"type": "integer"}}}}}}},
                                   "400", "409", "413", "415"),
        }},
        "/v2/bots/stats": {"get": {
            "summary": "Totals, feedback, a row per day and the top categories of the matches",
            "operationId": "stats",
            "parameters": filters(False),
            "responses": responses({"200": {"description": "The numbers.",
                                            "content": {"application/json": {"schema": ref("Stats")}}}}, "400"),
        }},
        "/healthz": {"get": {"summary": "Alive", "operationId": "healthz", "security": [],
                             "responses": {"200": {"description": "The process is alive."}}}},
        "/readyz": {"get": {"summary": "Ready: the store answers", "operationId": "readyz", "security": [],
                            "responses": {"200": {"description": "Ready."}, "503": error("The store is unreachable.")}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "operationId": "metrics", "security": [],
                             "responses": {"200": {"description": "Prometheus text format.",
                                                   "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi", "security": [],
                                  "responses": {"200": {"description": "OpenAPI 3.",
                                                        "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An API key (`parley_…`) with the read or write scope."}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message", "param"], "properties": {
                    "code": {"type": "string", "enum": [
                        "invalid_parameter", "invalid_cursor", "invalid_body", "unauthorized", "insufficient_scope",
                        "not_found", "method_not_allowed", "conflict", "payload_too_large", "unsupported_media_type",
                        "rate_limited", "unavailable", "internal"]},
                    "message": {"type": "string"},
                    "param": {"type": "string", "nullable": True}}}}},
            "Citation": {"type": "object", "additionalProperties": True, "properties": {
                "sourceId": {"type": "string", "nullable": True}, "sourceType": {"type": "string", "nullable": True},
                "title": {"type": "string", "nullable": True}, "url": {"type": "string", "nullable": True},
                "snippet": {"type": "string", "nullable": True}, "score": {"type": "number", "nullable": True}}},
            "BotRequest": {"type": "object", "required": [
                "question", "answer", "categories", "escalation", "reasoning", "feedbackType",
                "expectingUserFollowup", "createdAt", "basedOn", "id"], "properties": {
                "question": {"type": "string"}, "answer": {"type": "string"},
                "categories": {"type": "array", "items": {"type": "string"}},
                "escalation": {"type": "boolean"}, "reasoning": {"type": "string", "nullable": True},
                "feedbackType": {"type": "string", "nullable": True, "enum": ["thumbs_up", "thumbs_down", None]},
                "expectingUserFollowup": {"type": "boolean"},
                "createdAt": {"type": "integer", "format": "int64"},
                "basedOn": {"type": "array", "items": ref("Citation")},
                "id": {"type": "string", "format": "uuid"}}},
            "PlacedRequest": {"allOf": [ref("BotRequest"), {"type": "object", "required": ["conversationId"],
                                                             "properties": {"conversationId": {"type": "string",
                                                                                               "format": "uuid"}}}]},
            "Conversation": {"type": "object", "required": [
                "id", "externalId", "source", "channel", "escalation", "hasLinks", "feedbackType",
                "expectingUserFollowup", "url", "categories", "createdAt", "updatedAt", "botRequests", "userId"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "externalId": {"type": "string", "nullable": True},
                    "source": {"type": "string", "enum": SOURCES},
                    "channel": {"type": "string", "nullable": True},
                    "escalation": {"type": "boolean"}, "hasLinks": {"type": "boolean"},
                    "feedbackType": {"type": "string", "nullable": True, "enum": ["thumbs_up", "thumbs_down", None]},
                    "expectingUserFollowup": {"type": "boolean"},
                    "url": {"type": "string", "nullable": True},
                    "categories": {"type": "array", "items": {"type": "string"}},
                    "createdAt": {"type": "integer", "format": "int64"},
                    "updatedAt": {"type": "integer", "format": "int64"},
                    "botRequests": {"type": "array", "items": ref("BotRequest")},
                    "userId": {"type": "string", "nullable": True}}},
            "Page": {"type": "object", "required": ["conversations", "hasMore", "nextCursor", "prevCursor"],
                     "properties": {
                         "conversations": {"type": "array", "items": ref("Conversation")},
                         "hasMore": {"type": "boolean"},
                         "nextCursor": {"type": "string", "format": "uuid", "nullable": True},
                         "prevCursor": {"type": "string", "format": "uuid", "nullable": True}}},
            "Exchange": {"type": "object", "required": ["question", "answer", "source"], "additionalProperties": False,
                         "properties": {
                             "id": {"type": "string", "format": "uuid",
                                    "description": "The bot request's id: makes retries idempotent."},
                             "conversationId": {"type": "string", "format": "uuid"},
                             "source": {"type": "string", "enum": SOURCES},
                             "externalId": {"type": "string", "maxLength": 256},
                             "channel": {"type": "string", "maxLength": 100},
                             "userId": {"type": "string", "maxLength": 256},
                             "url": {"type": "string", "maxLength": 2048},
                             "question": {"type": "string", "description": "At most 32 KiB of UTF-8."},
                             "answer": {"type": "string", "description": "At most 32 KiB of UTF-8."},
                             "categories": {"type": "array", "maxItems": 20,
                                            "items": {"type": "string", "minLength": 1, "maxLength": 100}},
                             "escalation": {"type": "boolean"},
                             "reasoning": {"type": "string", "nullable": True},
                             "expectingUserFollowup": {"type": "boolean"},
                             "basedOn": {"type": "array", "maxItems": 50, "items": ref("Citation")},
                             "createdAt": {"type": "integer", "format": "int64", "description": "Default: now."}}},
            "Stats": {"type": "object", "required": ["conversations", "botRequests", "escalated", "withLinks",
                                                     "feedback", "byDay", "topCategories"], "properties": {
                "conversations": {"type": "integer"}, "botRequests": {"type": "integer"},
                "escalated": {"type": "integer"}, "withLinks": {"type": "integer"},
                "feedback": {"type": "object", "required": ["thumbs_up", "thumbs_down", "no_feedback"], "properties": {
                    "thumbs_up": {"type": "integer"}, "thumbs_down": {"type": "integer"},
                    "no_feedback": {"type": "integer"}}},
                "byDay": {"type": "array", "items": {"type": "object", "required": [
                    "day", "conversations", "escalated", "thumbsUp", "thumbsDown"], "properties": {
                    "day": {"type": "string", "format": "date"}, "conversations": {"type": "integer"},
                    "escalated": {"type": "integer"}, "thumbsUp": {"type": "integer"},
                    "thumbsDown": {"type": "integer"}}}},
                "topCategories": {"type": "array", "maxItems": 10, "items": {"type": "object", "required": [
                    "category", "conversations"], "properties": {"category": {"type": "string"},
                                                                 "conversations": {"type": "integer"}}}}}},
        },
    },
}

here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, "..", "..", "src", "main", "resources", "openapi.json")
with open(target, "w") as out:
    json.dump(spec, out, indent=2, ensure_ascii=False)
    out.write("\n")
