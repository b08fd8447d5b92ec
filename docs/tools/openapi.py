"""Writes src/main/resources/openapi.json: the one description of Parley's HTTP API.

Edit this file, run `python3 docs/tools/openapi.py` (or give it another file to write), commit both. OpenApiTest checks the result
against the server: every route it registers is described; every example below (each body and
each parameter has one) is sent to a running server and must be accepted; and values the
document calls invalid (out of a range, past a length, an unknown field, a wrong type) must get
the 400 it documents. So the limits written here are the ones the code enforces
(history/Limits.java, api/ExchangeParser.java, api/HistoryQueryParser.java, transfer/*).
"""
import json
import os
import sys

SOURCES = ["zendesk", "slack", "discord", "widget", "intercom", "ui", "api"]
MAX_EPOCH_MS = 253_402_300_799_999  # year 9999: history/Limits.MAX_EPOCH_MS
MAX_TEXT_BYTES = 32 * 1024  # question, answer, reasoning
MAX_ID_LENGTH = 256  # externalId, userId, and the id filters
MAX_CHANNEL_LENGTH = 100
MAX_URL_LENGTH = 2048
MAX_CATEGORIES = 20
MAX_CATEGORY_LENGTH = 100
MAX_BASED_ON = 50
MAX_TEXT_FILTER_LENGTH = 500
MAX_LABELS = 10  # history/Review
MAX_LABEL_LENGTH = 50
MAX_NOTE_BYTES = 4 * 1024
MAX_BODY_BYTES = 1024 * 1024
NO_NUL = "^[^\\u0000]*$"  # PostgreSQL text cannot hold U+0000, so neither store takes it

# The examples are one story, so that each can be sent to a real server: the exchange below
# opens this conversation with this bot request, which the feedback, the cursor and the
# conversation routes then name.
CONVERSATION_ID = "a35607bc-8008-44fd-9991-1d7c2c5c3f22"
REQUEST_ID = "5d0b1a7e-3c2f-4e8a-9b6d-2f4e6a8c0b1d"
IMPORTED_ID = "0b9c4f8e-2d1a-4c3b-8e7f-6a5b4c3d2e1f"
EXAMPLE_CREATED_AT = 1634000000000
# webhook ids are the server's to choose, so the story cannot name one: these are illustrations
WEBHOOK_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
DELIVERY_ID = "3f2b8c1d-9e4a-4b7c-8d6e-1a2b3c4d5e6f"
EVENT_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
# a documentation address (TEST-NET-3): public, so registration takes it, and it needs no DNS
WEBHOOK_URL = "https://203.0.113.7/hooks/parley"
EVENTS = ["conversation.created", "conversation.updated", "conversation.deleted", "request.escalated",
          "request.feedback"]

SOURCE_NAME = "(?:" + "|".join(SOURCES) + ")"
SOURCE_PATTERN = "^(?:all|" + SOURCE_NAME + "(?:," + SOURCE_NAME + ")*)$"


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


def response_ref(name):
    return {"$ref": "#/components/responses/" + name}


def nullable(schema):
    return dict(schema, nullable=True)


def text(max_length, min_length=0, **more):
    schema = {"type": "string"}
    if min_length:
        schema["minLength"] = min_length
    schema["maxLength"] = max_length
    schema["pattern"] = NO_NUL
    schema.update(more)
    return schema


def epoch_ms(description):
    return {"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_EPOCH_MS,
            "description": description}


def param(name, description, schema, required=False, where="query", example=None, examples=None,
          allow_empty=True):
    p = {"name": name, "in": where, "required": required, "description": description, "schema": schema}
    if where == "query" and allow_empty:
        # the reference client sends `direction=` and `userId=`: an empty value is an absent one
        p["allowEmptyValue"] = True
    if example is not None:
        p["example"] = example
    if examples is not None:
        p["examples"] = {key: {"value": value} for key, value in examples.items()}
    return p


def json_body(schema, examples, description=None):
    body = {"required": True, "content": {"application/json": {
        "schema": schema, "examples": {key: {"value": value} for key, value in examples.items()}}}}
    if description:
        body["description"] = description
    return body


def json_response(description, schema, example=None):
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"description": description, "content": {"application/json": content}}


# --- parameters -------------------------------------------------------------------------

def source_param(required):
    return param(
        "source",
        "Which sources: `all`, or one or more of " + ", ".join("`%s`" % s for s in SOURCES) +
        ", comma-separated (`zendesk,slack`) or repeated (`source=zendesk&source=slack`). `all` cannot be "
        "combined with names (`all,zendesk`, in any order or case); an empty entry (`zendesk,`, `,zendesk`, `,`) or a "
        "name that is no source is a 400 `invalid_parameter` naming `source`." + ("" if required else " Default: `all`."),
        {"type": "string", "pattern": SOURCE_PATTERN}, required=required, allow_empty=not required,
        examples={"all": "all", "one": "zendesk", "several": "zendesk,slack"})


def filters(source_required):
    return [
        source_param(source_required),
        param("startEpoch", "Conversations created at or after this time (epoch ms). With `endEpoch`, the range "
                            "is half-open, `[startEpoch, endEpoch)`, and `startEpoch` must be before `endEpoch`.",
              {"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_EPOCH_MS}, example=1633046400000),
        param("endEpoch", "Conversations created before this time (epoch ms).",
              {"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_EPOCH_MS}, example=1635638400000),
        param("category", "Conversations having any of these categories (comma-separated or repeated), exactly. "
                          "An empty entry (`billing,`, `,`) is a 400.",
              {"type": "string", "pattern": NO_NUL}, example="support"),
        param("feedbackType", "The conversation's feedback (that of its latest bot request with feedback); "
                              "`no_feedback`: none.",
              {"type": "string", "enum": ["thumbs_up", "thumbs_down", "no_feedback"]}, example="thumbs_down"),
        param("escalation", "Escalated (`true`) or not (`false`); absent: either. Any case (`True`).",
              {"type": "boolean"}, example=True),
        param("hasLinks", "Cites knowledge (`true`) or not (`false`); absent: either. Any case.",
              {"type": "boolean"}, example=False),
        param("userId", "The end user, exactly.", text(MAX_ID_LENGTH), example="user-42"),
        param("ticketId", "The ticket id in the customer's system (the conversation's `externalId`), exactly.",
              text(MAX_ID_LENGTH), example="ticket456"),
        param("question", "Some bot request's question contains this, in any case. `%`, `_` and `\\` are "
                          "plain characters, never patterns.",
              text(MAX_TEXT_FILTER_LENGTH), example="Example question?"),
        param("answer", "Extension: some answer contains this, in any case.", text(MAX_TEXT_FILTER_LENGTH),
              example="ships tomorrow"),
        param("sourceId", "Extension: some answer cited this knowledge source (`basedOn[].sourceId`), exactly.",
              text(MAX_ID_LENGTH), example="kb-orders-1"),
        param("attention", "Extension: `true` keeps conversations with at least one failing bot request "
                           "(escalated, thumbs down, or uncited: an empty `basedOn` and no http(s) URL in the "
                           "answer); `false` those with none. Any case.",
              {"type": "boolean"}, example=True),
        param("reviewStatus", "Extension: the conversation's review. `reviewed`, `needs_work`, or `unreviewed` "
                              "(never reviewed, or a review whose `status` is null).",
              {"type": "string", "enum": ["reviewed", "needs_work", "unreviewed"]}, example="needs_work"),
        param("label", "Extension: reviewed with any of these labels (comma-separated or repeated), exactly. An "
                       "empty entry is a 400.",
              text(MAX_LABEL_LENGTH, pattern=NO_NUL), example="wrong-answer"),
    ]


def path_uuid(name, what, example):
    return param(name, what + " (a UUID, any case).", {"type": "string", "format": "uuid"}, required=True,
                 where="path", example=example)


# --- responses --------------------------------------------------------------------------

def error_response(description, code, message, param_name=None, headers=None):
    response = json_response(description, ref("Error"),
                             {"error": {"code": code, "message": message, "param": param_name}})
    if headers:
        response["headers"] = headers
    return response


def header(description, schema=None):
    return {"description": description, "schema": schema or {"type": "string"}}


RETRY_AFTER = {"Retry-After": header("Seconds to wait before retrying.", {"type": "integer", "minimum": 1})}

ERROR_RESPONSES = {
    "BadRequest": error_response(
        "A parameter or body field is invalid; `param` names it and `message` says what is allowed. Codes: "
        "`invalid_parameter` (a query or path parameter, also one whose value cannot be decoded: a malformed "
        "`%` escape such as `%zz`, or bytes that are not UTF-8, in any parameter; and the header "
        "`X-HTTP-Method-Override`, which is refused: send the method itself), `invalid_cursor` (`cursor` is "
        "malformed, or no conversation of this workspace; on the changes feed: not a cursor this workspace was given), "
        "`invalid_body` (the body: not JSON, an unknown "
        "field, a value out of its range, the NUL character, JSON nested deeper than 100 levels or a number longer "
        "than 1,000 characters), `bad_request` (not HTTP this server takes: a path "
        "with a malformed `%` escape, an encoded control character or `..` above the root, a malformed header, "
        "an HTTP version it does not speak; `param` is null).",
        "invalid_parameter", "limit must be a whole number from 1 to 200, got '0'", "limit"),
    "Unauthorized": error_response(
        "No key, a key that is unknown or revoked, a scheme other than Bearer, or two `Authorization` headers.",
        "unauthorized", "send an API key as 'Authorization: Bearer <key>'",
        headers={"WWW-Authenticate": header("`Bearer`.")}),
    "Forbidden": error_response("The key lacks the scope this route needs.", "insufficient_scope",
                                "this key lacks the 'write' scope that this request needs"),
    "NotFound": error_response("This workspace has no such conversation or bot request.", "not_found",
                               "this workspace has no conversation with id " + CONVERSATION_ID),
    "MethodNotAllowed": error_response(
        "The path exists but not with this method; `Allow` lists the methods it has. Every path of this "
        "document answers the methods not listed for it this way, `OPTIONS` included (it is not served).",
        "method_not_allowed", "PATCH is not allowed on /v2/bots/requests/public; use GET, HEAD",
        headers={"Allow": header(
            "The methods of every path of this document that the request's path matches, in the order GET, HEAD, "
            "POST, PUT, PATCH, DELETE: `GET, HEAD` here; `GET, HEAD, DELETE` for "
            "`/v2/bots/conversations/export` and `/v2/bots/conversations/changes`, which "
            "`/v2/bots/conversations/{id}` also matches.")}),
    "Conflict": error_response("Conflicts with what is stored.", "conflict",
                               "bot request " + REQUEST_ID + " was already recorded with other content"),
    "PayloadTooLarge": error_response(
        "The body is larger than allowed: 1 MiB for JSON bodies, `PARLEY_IMPORT_MAX_BYTES` (default 1 GiB) "
        "for an import.", "payload_too_large", "the request body must be at most 1048576 bytes"),
    "UriTooLong": error_response("The request line (method, path and query) is longer than 8 KiB.",
                                 "uri_too_long",
                                 "the request line (method, path and query) must be at most 8192 bytes"),
    "UnsupportedMediaType": error_response(
        "The body is not of the media type this route takes (`Content-Type`).", "unsupported_media_type",
        "send the body as application/json (Content-Type was 'text/plain')"),
    "RateLimited": error_response(
        "Past this key's rate (`PARLEY_RATE_LIMIT` requests a second, bursts of twice that).", "rate_limited",
        "this key may make 200 requests a second (bursts of 400); retry after 1 s", headers=RETRY_AFTER),
    "RequestTimeout": error_response(
        "The body did not keep arriving: after its first second it must come at 1 KiB/s at least. The connection "
        "is closed after this answer.", "request_timeout",
        "the request body arrived slower than 1024 bytes a second after its first second; send it faster"),
    "HeadersTooLarge": error_response(
        "The request's headers are larger than 8 KiB in all (the request line counts towards it).",
        "headers_too_large", "the request's headers must be at most 8192 bytes in all"),
    "Unavailable": error_response(
        "The store is unreachable or cannot write (a full disk), a statement ran past PostgreSQL's 60 s statement "
        "timeout (the message says so), a write could not start within "
        "`PARLEY_WRITE_TIMEOUT` (it will never run), concurrent writes to the same conversations kept it from "
        "finishing, or the server is past its capacity (`PARLEY_MAX_QUEUED_REQUESTS`; for exports, 4 at once on "
        "a server; for an import, room on its temporary disk). Retry after `Retry-After`.", "unavailable",
        "the store is not reachable right now; retry shortly", headers=RETRY_AFTER),
}

# an export beyond the 2 a key may run at once is a 429 of its own kind; it replaces RateLimited there
ERROR_RESPONSES["TooManyExports"] = error_response(
    "Past this key's rate (`PARLEY_RATE_LIMIT`), or this key already runs 2 exports at once (the most a key may "
    "run; long streams must not take the capacity others need).", "rate_limited",
    "this key already runs 2 exports, the most it may run at once (2 exports at once for this key); retry when "
    "one has finished", headers=RETRY_AFTER)

# a long poll beyond the 4 a key may hold at once is a 429 of its own kind, like an export's
ERROR_RESPONSES["TooManyPolls"] = error_response(
    "Past this key's rate (`PARLEY_RATE_LIMIT`), or this key already holds 4 requests to the changes feed at once "
    "(the most a key may; long polls must not take the capacity others need).", "rate_limited",
    "this key already runs 4 requests to the changes feed, the most it may run at once (4 requests to the changes "
    "feed at once for this key); retry when one has finished", headers=RETRY_AFTER)
ERROR_RESPONSES["CursorExpired"] = error_response(
    "The cursor is older than `PARLEY_TOMBSTONE_DAYS` (default 30): deletions are kept no longer, so the feed "
    "cannot tell what was deleted since. Load a new export and follow the feed from its `Parley-Changes-Cursor`.",
    "cursor_expired", "cursor is older than 30 days (PARLEY_TOMBSTONE_DAYS), and deletions are kept no longer: "
    "load a new export and follow the changes from its Parley-Changes-Cursor", "cursor")

STATUS_OF = {"CursorExpired": "410", "TooManyPolls": "429", "BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
             "MethodNotAllowed": "405", "TooManyExports": "429", "Conflict": "409", "PayloadTooLarge": "413", "UriTooLong": "414",
             "UnsupportedMediaType": "415", "RequestTimeout": "408", "RateLimited": "429", "HeadersTooLarge": "431",
             "Unavailable": "503"}


def errors(*names):
    return {STATUS_OF[name]: response_ref(name) for name in names}



def api_responses(ok, *extra):
    """An authenticated route: its answers, the errors it adds, and the ones every such route has."""
    r = dict(ok)
    r.update(errors("Unauthorized", "Forbidden", "UriTooLong", "RateLimited", "HeadersTooLarge", "Unavailable"))
    r.update(errors(*extra))  # after: a route's own kind of an error replaces the common one
    return dict(sorted(r.items()))


def probe_responses(ok, shed=True):
    r = dict(ok)
    r.update(errors("BadRequest", "UriTooLong", "HeadersTooLarge"))  # 400: X-HTTP-Method-Override, a bad request
    if shed:
        r.update(errors("Unavailable"))
    return dict(sorted(r.items()))


# --- the examples, one story --------------------------------------------------------------

EXCHANGE_EXAMPLE = {
    "id": REQUEST_ID,
    "conversationId": CONVERSATION_ID,
    "source": "zendesk",
    "externalId": "ticket456",
    "channel": "chat",
    "userId": "user-42",
    "url": "https://support.example.com/tickets/456",
    "question": "Example question? Where is my order?",
    "answer": "Your order ships tomorrow: see https://help.example.com/orders",
    "categories": ["support", "orders"],
    "escalation": True,
    "reasoning": "The customer asked where an order is; the orders article answers it.",
    "expectingUserFollowup": False,
    "basedOn": [{"sourceId": "kb-orders-1", "sourceType": "article", "title": "Where is my order?",
                 "url": "https://help.example.com/orders", "snippet": "Orders ship within two days.",
                 "score": 0.87}],
    "createdAt": EXAMPLE_CREATED_AT,
}

MINIMAL_EXCHANGE_EXAMPLE = {"source": "widget", "question": "Hello", "answer": "Hello, how can I help you?"}

PLACED_EXAMPLE = {k: EXCHANGE_EXAMPLE[k] for k in ["question", "answer", "categories", "escalation", "reasoning"]}
PLACED_EXAMPLE.update({"feedbackType": None, "expectingUserFollowup": False, "createdAt": EXAMPLE_CREATED_AT,
                       "basedOn": EXCHANGE_EXAMPLE["basedOn"], "id": REQUEST_ID, "uncited": False,
                       "conversationId": CONVERSATION_ID})

BOT_REQUEST_EXAMPLE = {k: v for k, v in PLACED_EXAMPLE.items() if k != "conversationId"}

CONVERSATION_EXAMPLE = {
    "id": CONVERSATION_ID, "externalId": "ticket456", "source": "zendesk", "channel": "chat", "escalation": True,
    "hasLinks": True, "feedbackType": None, "expectingUserFollowup": False,
    "url": "https://support.example.com/tickets/456", "categories": ["support", "orders"],
    "createdAt": EXAMPLE_CREATED_AT, "updatedAt": EXAMPLE_CREATED_AT, "botRequests": [BOT_REQUEST_EXAMPLE],
    "userId": "user-42", "review": None,
}

REVIEW_BODY_EXAMPLE = {"status": "needs_work", "labels": ["wrong-answer"], "note": "Cites last year's policy."}
REVIEW_EXAMPLE = dict(REVIEW_BODY_EXAMPLE, reviewedBy="key_3f2a1b0c9d8e7f60", reviewedAt=1634000600000)

FAILING_QUESTIONS_EXAMPLE = {
    "groups": [{"question": "Where is my order?", "failing": 12, "escalated": 5, "thumbsDown": 3, "uncited": 7,
                "conversations": 11, "topCategories": [{"category": "orders", "conversations": 9}],
                "sampleConversationIds": [CONVERSATION_ID]}],
    "failingRequests": 40, "requests": 310}

IMPORT_EXAMPLE = {
    "id": IMPORTED_ID, "externalId": "T-1001", "source": "intercom", "channel": "email", "url": None,
    "userId": "user-7", "createdAt": 1633100000000, "updatedAt": 1633100600000,
    "botRequests": [{"id": "7e57d004-2b1d-4c8e-9a3f-5b6c7d8e9f00", "question": "Can I get a refund?",
                     "answer": "Yes, within 30 days.", "categories": ["billing"], "escalation": False,
                     "reasoning": None, "feedbackType": "thumbs_up", "expectingUserFollowup": False,
                     "createdAt": 1633100000000,
                     "basedOn": [{"sourceId": "kb-refunds", "title": "Refunds", "url": "https://help.example.com/refunds"}]}],
}

MINIMAL_IMPORT_EXAMPLE = {"source": "api", "botRequests": [
    {"question": "Hi", "answer": "Hello!", "createdAt": 1633200000000}]}

ndjson_example = "\n".join(json.dumps(line, separators=(",", ":")) for line in [CONVERSATION_EXAMPLE]) + "\n"
# as the server writes it (less the byte-order mark): RFC 4180, CRLF line ends
csv_example = (
    "conversationId,conversationCreatedAt,source,channel,userId,externalId,requestId,createdAt,question,answer,"
    "categories,escalation,feedbackType,reasoning,sources,reviewStatus,reviewLabels,reviewNote,reviewedBy,"
    "reviewedAt\r\n"
    "\"" + CONVERSATION_ID + "\",2021-10-12T00:53:20.000Z,zendesk,chat,user-42,ticket456,\"" + REQUEST_ID
    + "\",2021-10-12T00:53:20.000Z,\"Example question? Where is my order?\","
      "\"Your order ships tomorrow: see https://help.example.com/orders\",support;orders,true,,"
      "\"The customer asked where an order is; the orders article answers it.\",\"Where is my order?\",,,,,\r\n")

# --- schemas ----------------------------------------------------------------------------

FEEDBACK_TYPE = {"type": "string", "nullable": True, "enum": ["thumbs_up", "thumbs_down", None]}

schemas = {
    "Error": {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "description": "Every error, whatever the status.",
        "properties": {"error": {
            "type": "object", "required": ["code", "message", "param"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description":
                         "What went wrong, for programs: `invalid_parameter`, `invalid_cursor`, `invalid_body`, "
                         "`bad_request`, "
                         "`unauthorized`, `insufficient_scope`, `not_found`, `method_not_allowed`, `conflict`, "
                         "`payload_too_large`, `uri_too_long`, `unsupported_media_type`, `rate_limited`, "
                         "`headers_too_large`, `unavailable`, `internal` (a bug: it is logged). New codes may "
                         "come; act on the status when a code is unknown."},
                "message": {"type": "string", "description": "For people: names the parameter and what is allowed."},
                "param": {"type": "string", "nullable": True,
                          "description": "The parameter or body field at fault (`basedOn[0].score`), or null."}}}}},
    "Citation": {
        "type": "object", "additionalProperties": True,
        "description": "Knowledge an answer used. Keys other than these are kept and returned as given.",
        "properties": {
            "sourceId": {"type": "string", "nullable": True, "description": "Matched by the `sourceId` filter."},
            "sourceType": {"type": "string", "nullable": True},
            "title": {"type": "string", "nullable": True},
            "url": {"type": "string", "nullable": True},
            "snippet": {"type": "string", "nullable": True},
            "score": {"type": "number", "nullable": True}}},
    "BotRequest": {
        "type": "object", "required": [
            "question", "answer", "categories", "escalation", "reasoning", "feedbackType",
            "expectingUserFollowup", "createdAt", "basedOn", "id", "uncited"],
        "description": "One question and its answer, as stored. Fields in this order; nulls are written.",
        "properties": {
            "question": {"type": "string"}, "answer": {"type": "string"},
            "categories": {"type": "array", "items": {"type": "string"}},
            "escalation": {"type": "boolean"}, "reasoning": {"type": "string", "nullable": True},
            "feedbackType": FEEDBACK_TYPE,
            "expectingUserFollowup": {"type": "boolean"},
            "createdAt": {"type": "integer", "format": "int64", "description": "Epoch ms."},
            "basedOn": {"type": "array", "items": ref("Citation")},
            "id": {"type": "string", "format": "uuid", "description": "Extension: addresses feedback."},
            "uncited": {"type": "boolean", "description": "Extension: the answer cites nothing: an empty "
                                                          "`basedOn` and no http(s) URL in its text."}}},
    "PlacedRequest": {
        "description": "A bot request and the conversation it is in.",
        "allOf": [ref("BotRequest"), {"type": "object", "required": ["conversationId"], "properties": {
            "conversationId": {"type": "string", "format": "uuid"}}}],
        "example": PLACED_EXAMPLE},
    "Conversation": {
        "type": "object", "required": [
            "id", "externalId", "source", "channel", "escalation", "hasLinks", "feedbackType",
            "expectingUserFollowup", "url", "categories", "createdAt", "updatedAt", "botRequests", "userId",
            "review"],
        "description": "A conversation as the reference API returns it (fields in this order, nulls written), "
                       "with the extensions `userId` and `review` after them.",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "externalId": {"type": "string", "nullable": True,
                           "description": "The ticket id in the customer's system (the `ticketId` filter)."},
            "source": {"type": "string", "enum": SOURCES},
            "channel": {"type": "string", "nullable": True},
            "escalation": {"type": "boolean", "description": "Any of its bot requests escalated."},
            "hasLinks": {"type": "boolean", "description": "Any answer cites knowledge: a non-empty `basedOn` or "
                                                           "an http(s) URL in the answer."},
            "feedbackType": dict(FEEDBACK_TYPE, description="That of the latest bot request with feedback."),
            "expectingUserFollowup": {"type": "boolean", "description": "That of the latest bot request."},
            "url": {"type": "string", "nullable": True},
            "categories": {"type": "array", "items": {"type": "string"},
                           "description": "Its bot requests' categories, first appearance first, no duplicates."},
            "createdAt": {"type": "integer", "format": "int64", "description": "Epoch ms."},
            "updatedAt": {"type": "integer", "format": "int64",
                          "description": "Epoch ms: the newest request's, or the last feedback change."},
            "botRequests": {"type": "array", "items": ref("BotRequest"), "description": "Oldest first."},
            "userId": {"type": "string", "nullable": True},
            "review": {"allOf": [ref("Review")], "nullable": True, "description": "Null when never reviewed."}},
        "example": CONVERSATION_EXAMPLE},
    "Review": {
        "type": "object", "required": ["status", "labels", "note", "reviewedBy", "reviewedAt"],
        "description": "A person's judgement of a conversation. Giving one does not change the conversation's "
                       "`updatedAt`, but makes it a change of the changes feed.",
        "properties": {
            "status": {"type": "string", "nullable": True, "enum": ["reviewed", "needs_work", None]},
            "labels": {"type": "array", "items": {"type": "string"}, "description": "Duplicates kept once."},
            "note": {"type": "string", "nullable": True},
            "reviewedBy": {"type": "string", "description": "The id of the key that gave it."},
            "reviewedAt": {"type": "integer", "format": "int64", "description": "Epoch ms."}},
        "example": REVIEW_EXAMPLE},
    "ReviewBody": {
        "type": "object", "additionalProperties": False,
        "description": "Replaces the conversation's review. Every field may be absent: a null `status` and "
                       "`note`, no `labels`.",
        "properties": {
            "status": {"type": "string", "nullable": True, "enum": ["reviewed", "needs_work", None]},
            "labels": nullable({"type": "array", "maxItems": MAX_LABELS,
                                "items": text(MAX_LABEL_LENGTH, 1, pattern=NO_NUL)}),
            "note": nullable(text(MAX_NOTE_BYTES, description="At most 4 KiB of UTF-8 (4096 bytes)."))}},
    "FailingQuestions": {
        "type": "object", "required": ["groups", "failingRequests", "requests"],
        "properties": {
            "groups": {"type": "array", "description": "Most failing first, ties by question.", "items": {
                "type": "object", "required": ["question", "failing", "escalated", "thumbsDown", "uncited",
                                               "conversations", "topCategories", "sampleConversationIds"],
                "properties": {
                    "question": {"type": "string", "description": "The group's most frequent wording among its "
                                                                  "failing requests (ties: the earliest)."},
                    "failing": {"type": "integer", "description": "Its failing bot requests."},
                    "escalated": {"type": "integer"}, "thumbsDown": {"type": "integer"},
                    "uncited": {"type": "integer"},
                    "conversations": {"type": "integer", "description": "The conversations they are in."},
                    "topCategories": {"type": "array", "maxItems": 3,
                                      "description": "The categories of its failing requests, most conversations "
                                                     "first, ties by name.",
                                      "items": {"type": "object", "required": ["category", "conversations"],
                                                "properties": {"category": {"type": "string"},
                                                               "conversations": {"type": "integer"}}}},
                    "sampleConversationIds": {"type": "array", "maxItems": 5,
                                              "items": {"type": "string", "format": "uuid"},
                                              "description": "Its newest conversations, newest first."}}}},
            "failingRequests": {"type": "integer", "description": "The failing bot requests of the matches."},
            "requests": {"type": "integer", "description": "All bot requests of the matches."}},
        "example": FAILING_QUESTIONS_EXAMPLE},
    "Page": {
        "type": "object", "required": ["conversations", "hasMore", "nextCursor", "prevCursor"],
        "properties": {
            "conversations": {"type": "array", "items": ref("Conversation"), "description": "Newest first."},
            "hasMore": {"type": "boolean", "description": "More matches lie beyond this page in the direction "
                                                          "of travel."},
            "nextCursor": {"type": "string", "format": "uuid", "nullable": True,
                           "description": "Pass as `cursor` with `direction=next` for older matches; null when "
                                          "there are none."},
            "prevCursor": {"type": "string", "format": "uuid", "nullable": True,
                           "description": "Pass as `cursor` with `direction=previous` for newer matches; null "
                                          "when there are none."}},
        "example": {"conversations": [CONVERSATION_EXAMPLE], "hasMore": False, "nextCursor": None,
                    "prevCursor": None}},
    "Change": {
        "type": "object", "required": ["type", "conversationId", "changedAt", "conversation"],
        "properties": {
            "type": {"type": "string", "enum": ["upsert", "delete"],
                     "description": "`upsert`: the conversation was created or changed; `delete`: it was deleted "
                                    "(one by one, with its user's history, or by retention)."},
            "conversationId": {"type": "string", "format": "uuid"},
            "changedAt": {"type": "integer", "format": "int64",
                          "description": "Epoch ms: the conversation's `updatedAt` for an upsert, the time of "
                                         "the deletion for a delete."},
            "conversation": {"allOf": [ref("Conversation")], "nullable": True,
                             "description": "The conversation as it is now, in the list's shape; null for a delete."}},
        "example": {"type": "upsert", "conversationId": CONVERSATION_ID,
                    "changedAt": CONVERSATION_EXAMPLE["updatedAt"], "conversation": CONVERSATION_EXAMPLE}},
    "Changes": {
        "type": "object", "required": ["changes", "nextCursor", "hasMore"],
        "properties": {
            "changes": {"type": "array", "items": ref("Change"),
                        "description": "In commit order; each conversation at most once, at its latest change."},
            "nextCursor": {"type": "string", "description": "Never null: pass it as `cursor` for the changes "
                                                            "after this page (with nothing new, it is a cursor at "
                                                            "the same place)."},
            "hasMore": {"type": "boolean", "description": "More changes are ready now: ask again at once."}},
        "example": {"changes": [{"type": "delete", "conversationId": CONVERSATION_ID,
                                 "changedAt": CONVERSATION_EXAMPLE["updatedAt"], "conversation": None}],
                    "nextCursor": "AQAAAAAAAAABAAAAAAAAAAUAAAAAAAAAAAAAAAAAAAAAAAABmNfl7wCr9g0yJd3Iuw",
                    "hasMore": False}},
    "Exchange": {
        "type": "object", "required": ["question", "answer", "source"], "additionalProperties": False,
        "description": "One question and answer to record. Any other field is a 400 naming it. Every "
                       "optional field may be null, which means absent.",
        "properties": {
            "id": nullable({"type": "string", "format": "uuid",
                            "description": "The bot request's id; makes retries idempotent. Default: a new one."}),
            "conversationId": nullable({"type": "string", "format": "uuid", "description":
                                        "Append to this conversation (created with this id if new). Default: the "
                                        "conversation with the same `source` and `externalId`, else a new one."}),
            "source": {"type": "string", "enum": SOURCES, "description": "Lowercase."},
            "externalId": nullable(text(MAX_ID_LENGTH, 1, description="The ticket id in your ticketing system.")),
            "channel": nullable(text(MAX_CHANNEL_LENGTH, 1, description="Free text, e.g. `chat`, `email`.")),
            "userId": nullable(text(MAX_ID_LENGTH, 1, description="The end user's id.")),
            "url": nullable(text(MAX_URL_LENGTH, 1, description="Link to the conversation in its source system.")),
            "question": text(MAX_TEXT_BYTES, description="At most 32 KiB of UTF-8 (32768 bytes)."),
            "answer": text(MAX_TEXT_BYTES, description="At most 32 KiB of UTF-8 (32768 bytes)."),
            "categories": nullable({"type": "array", "maxItems": MAX_CATEGORIES,
                                    "items": text(MAX_CATEGORY_LENGTH, 1)}),
            "escalation": nullable({"type": "boolean", "description": "Default false."}),
            "reasoning": nullable(text(MAX_TEXT_BYTES, description="At most 32 KiB of UTF-8.")),
            "expectingUserFollowup": nullable({"type": "boolean", "description": "Default false."}),
            "basedOn": nullable({"type": "array", "maxItems": MAX_BASED_ON, "items": ref("Citation")}),
            "createdAt": nullable(epoch_ms("Epoch ms, up to the end of year 9999. Default: now."))}},
    "NewWebhook": {
        "type": "object", "required": ["url"], "additionalProperties": False,
        "properties": {
            "url": {"type": "string", "maxLength": 2048, "description":
                    "An `http` or `https` URL without user info. Its host must resolve, and only to public "
                    "addresses (not loopback, private, link-local, multicast or unspecified) unless the server runs "
                    "with `PARLEY_WEBHOOK_ALLOW_PRIVATE=true`; checked again before every delivery."},
            "events": nullable({"type": "array", "minItems": 1, "uniqueItems": True,
                                "items": {"type": "string", "enum": EVENTS},
                                "description": "The events to deliver; left out (or null), all of them."})}},
    "Webhook": {
        "type": "object", "required": ["id", "url", "events", "createdAt"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "url": {"type": "string"},
            "events": {"type": "array", "items": {"type": "string", "enum": EVENTS}},
            "createdAt": epoch_ms("When it was registered, epoch milliseconds.")}},
    "CreatedWebhook": {
        "type": "object", "required": ["id", "url", "events", "secret", "createdAt"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "url": {"type": "string"},
            "events": {"type": "array", "items": {"type": "string", "enum": EVENTS}},
            "secret": {"type": "string", "pattern": "^whsec_[A-Za-z0-9+/]+=*$", "description":
                       "The signing secret, shown only in this answer: `whsec_` and the base64 of 32 random "
                       "bytes. Sign with the bytes, not the text (the README shows how to verify)."},
            "createdAt": epoch_ms("When it was registered, epoch milliseconds.")}},
    "WebhookList": {
        "type": "object", "required": ["data"],
        "properties": {"data": {"type": "array", "items": ref("Webhook"),
                                "description": "Oldest first; never with the secrets."}}},
    "Delivery": {
        "type": "object",
        "required": ["id", "eventId", "event", "conversationId", "requestId", "occurredAt", "state", "attempts",
                     "lastStatus", "lastError", "lastAttemptAt", "nextAttemptAt"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The delivery's id, for a retry."},
            "eventId": {"type": "string", "format": "uuid", "description":
                        "The event's id: the payload's `id` and the `webhook-id` header of every attempt."},
            "event": {"type": "string", "enum": EVENTS},
            "conversationId": {"type": "string", "format": "uuid"},
            "requestId": nullable({"type": "string", "format": "uuid"}),
            "occurredAt": epoch_ms("When the write that caused the event committed, epoch milliseconds."),
            "state": {"type": "string", "enum": ["pending", "delivered", "failed"], "description":
                      "`pending`: owed (due, being attempted, or waiting to be retried); `delivered`: answered "
                      "2xx; `failed`: given up, after failing for 24 hours."},
            "attempts": {"type": "integer", "minimum": 0},
            "lastStatus": nullable({"type": "integer", "description": "The last attempt's HTTP status."}),
            "lastError": nullable({"type": "string", "description":
                                   "Why the last attempt had no status (a timeout, a refused connection, an address "
                                   "not allowed)."}),
            "lastAttemptAt": nullable(epoch_ms("Epoch milliseconds.")),
            "nextAttemptAt": nullable(epoch_ms("When it is tried next (while `pending`), epoch milliseconds."))}},
    "DeliveryList": {
        "type": "object", "required": ["data"],
        "properties": {"data": {"type": "array", "maxItems": 100, "items": ref("Delivery"),
                                "description": "The 100 most recent, newest first."}}},
    "Feedback": {
        "type": "object", "required": ["feedbackType"], "additionalProperties": False,
        "properties": {"feedbackType": dict(FEEDBACK_TYPE, description="null clears it.")}},
    "ImportedBotRequest": {
        "type": "object", "required": ["question", "answer", "createdAt"], "additionalProperties": False,
        "description": "A bot request in the GET's shape; what is missing is filled in (a new `id`, false, [], "
                       "null). Any other field is a 400 naming it (`botRequests[0].feedback`) and the line; a "
                       "citation's (`basedOn`) other keys are kept as given.",
        "properties": {
            "id": nullable({"type": "string", "format": "uuid"}),
            "question": text(MAX_TEXT_BYTES, description="At most 32 KiB of UTF-8."),
            "answer": text(MAX_TEXT_BYTES, description="At most 32 KiB of UTF-8."),
            "categories": nullable({"type": "array", "maxItems": MAX_CATEGORIES, "items": text(MAX_CATEGORY_LENGTH, 1)}),
            "escalation": nullable({"type": "boolean"}),
            "reasoning": nullable(text(MAX_TEXT_BYTES)),
            "feedbackType": FEEDBACK_TYPE,
            "expectingUserFollowup": nullable({"type": "boolean"}),
            "createdAt": epoch_ms("Epoch ms."),
            "basedOn": nullable({"type": "array", "maxItems": MAX_BASED_ON, "items": ref("Citation")}),
            "uncited": nullable({"type": "boolean", "description": "Accepted and ignored: it is what `basedOn` "
                                                                   "and the answer imply."})}},
    "ImportedConversation": {
        "type": "object", "required": ["source"], "additionalProperties": False,
        "anyOf": [{"required": ["createdAt"], "properties": {"createdAt": {"type": "integer"}}},
                  {"required": ["botRequests"],
                   "properties": {"botRequests": {"type": "array", "minItems": 1, "items": {"type": "object"}}}}],
        "description": "One line of an import: a conversation in the GET's shape, kept as given (ids, times, "
                       "aggregates). What is missing is filled in as the service would have made it: a new `id`; "
                       "`createdAt` from the first bot request (so `createdAt` is required when there are no "
                       "`botRequests`); `updatedAt` from the last; the aggregates from the bot requests. Any other "
                       "field is a 400 `invalid_body` naming it and the line, and nothing is written.",
        "properties": {
            "id": nullable({"type": "string", "format": "uuid", "description": "An existing id is replaced."}),
            "externalId": nullable(text(MAX_ID_LENGTH, 1)),
            "source": {"type": "string", "enum": SOURCES},
            "channel": nullable(text(MAX_CHANNEL_LENGTH, 1)),
            "escalation": nullable({"type": "boolean"}),
            "hasLinks": nullable({"type": "boolean"}),
            "feedbackType": FEEDBACK_TYPE,
            "expectingUserFollowup": nullable({"type": "boolean"}),
            "url": nullable(text(MAX_URL_LENGTH, 1)),
            "categories": nullable({"type": "array", "items": text(MAX_CATEGORY_LENGTH, 1)}),
            "createdAt": nullable(epoch_ms("Epoch ms. Default: the first bot request's.")),
            "updatedAt": nullable(epoch_ms("Epoch ms. Default: the last bot request's.")),
            "botRequests": nullable({"type": "array", "items": ref("ImportedBotRequest"),
                                     "description": "Stored oldest first; equal times keep the order given."}),
            "userId": nullable(text(MAX_ID_LENGTH, 1)),
            "review": nullable({"type": "object", "additionalProperties": False,
                                "required": ["reviewedBy", "reviewedAt"],
                                "description": "A `Review`, kept as given.",
                                "properties": {
                                    "status": {"type": "string", "nullable": True,
                                               "enum": ["reviewed", "needs_work", None]},
                                    "labels": nullable({"type": "array", "maxItems": MAX_LABELS,
                                                        "items": text(MAX_LABEL_LENGTH, 1)}),
                                    "note": nullable(text(MAX_NOTE_BYTES)),
                                    "reviewedBy": {"type": "string"},
                                    "reviewedAt": epoch_ms("Epoch ms.")}})}},
    "Stats": {
        "type": "object", "required": ["conversations", "botRequests", "escalated", "withLinks",
                                       "feedback", "byDay", "topCategories"], "properties": {
            "conversations": {"type": "integer"}, "botRequests": {"type": "integer"},
            "escalated": {"type": "integer"}, "withLinks": {"type": "integer"},
            "feedback": {"type": "object", "required": ["thumbs_up", "thumbs_down", "no_feedback"], "properties": {
                "thumbs_up": {"type": "integer"}, "thumbs_down": {"type": "integer"},
                "no_feedback": {"type": "integer"}}},
            "byDay": {"type": "array", "description": "One row per UTC day that has conversations, oldest first.",
                      "items": {"type": "object", "required": [
                          "day", "conversations", "escalated", "thumbsUp", "thumbsDown"], "properties": {
                          "day": {"type": "string", "format": "date"}, "conversations": {"type": "integer"},
                          "escalated": {"type": "integer"}, "thumbsUp": {"type": "integer"},
                          "thumbsDown": {"type": "integer"}}}},
            "topCategories": {"type": "array", "maxItems": 10,
                              "description": "Most frequent first, ties by name.",
                              "items": {"type": "object", "required": ["category", "conversations"], "properties": {
                                  "category": {"type": "string"}, "conversations": {"type": "integer"}}}}},
        "example": {"conversations": 1, "botRequests": 1, "escalated": 1, "withLinks": 1,
                    "feedback": {"thumbs_up": 0, "thumbs_down": 1, "no_feedback": 0},
                    "byDay": [{"day": "2021-10-12", "conversations": 1, "escalated": 1, "thumbsUp": 0,
                               "thumbsDown": 1}],
                    "topCategories": [{"category": "orders", "conversations": 1},
                                      {"category": "support", "conversations": 1}]}},
    "Redaction": {
        "type": "object", "required": ["email", "phone", "card"], "additionalProperties": False,
        "description": "Which kinds of personal data writes replace by `[EMAIL]`, `[PHONE]`, `[CARD]` in "
                       "`question`, `answer`, `reasoning` and `basedOn[].title`/`snippet`.",
        "properties": {"email": {"type": "boolean"}, "phone": {"type": "boolean"}, "card": {"type": "boolean"}}},
    "Workspace": {
        "type": "object", "required": ["name", "redaction", "retentionDays", "scopes", "keyId"],
        "properties": {
            "name": {"type": "string"},
            "redaction": ref("Redaction"),
            "retentionDays": nullable({"type": "integer", "minimum": 1, "maximum": 3650, "description":
                                       "Conversations unchanged for longer are erased by the retention sweep; "
                                       "null: kept for ever."}),
            "scopes": {"type": "array", "items": {"type": "string", "enum": ["read", "write", "review", "admin"]},
                       "description": "The calling key's scopes."},
            "keyId": {"type": "string", "description": "The calling key's id."}},
        "example": {"name": "default", "redaction": {"email": True, "phone": False, "card": True},
                    "retentionDays": 365, "scopes": ["admin", "read", "write"], "keyId": "k_3f9a2b"}},
    "WorkspaceChange": {
        "type": "object", "additionalProperties": False,
        "description": "What to change; a field left out keeps its value, and so does a kind left out of "
                       "`redaction`.",
        "properties": {
            "redaction": {"type": "object", "additionalProperties": False, "properties": {
                "email": {"type": "boolean"}, "phone": {"type": "boolean"}, "card": {"type": "boolean"}}},
            "retentionDays": nullable({"type": "integer", "minimum": 1, "maximum": 3650,
                                       "description": "null: keep history for ever."})}},
    "AuditLog": {
        "type": "object", "required": ["entries"], "properties": {"entries": {
            "type": "array", "description": "Newest first; the newest 1,000. Never the erased text, nor a user id.",
            "items": {"type": "object", "required": ["at", "keyId", "action", "conversations"], "properties": {
                "at": {"type": "integer", "format": "int64", "description": "Epoch milliseconds."},
                "keyId": nullable({"type": "string", "description": "The key that asked; null for the sweep and "
                                                                    "for `workspace redact`."}),
                "action": {"type": "string",
                           "enum": ["delete_conversation", "erase_user", "retention_sweep", "redact"]},
                "conversations": {"type": "integer", "description": "How many were erased (or, for `redact`, "
                                                                    "changed)."}}}}},
        "example": {"entries": [{"at": 1740407178963, "keyId": "k_3f9a2b", "action": "erase_user",
                                 "conversations": 2},
                                {"at": 1740400000000, "keyId": None, "action": "retention_sweep",
                                 "conversations": 200}]}},
}

ndjson_of_imports = {"type": "string", "x-ndjson-line": "#/components/schemas/ImportedConversation",
                     "description": "NDJSON: one `ImportedConversation` (see components) a line, UTF-8; blank "
                                    "lines are skipped."}

export_content = {
    "application/x-ndjson": {
        "schema": {"type": "string", "x-ndjson-line": "#/components/schemas/Conversation",
                   "description": "NDJSON: one `Conversation` (see components) a line, newest first."},
        "example": ndjson_example},
    "text/csv": {
        "schema": {"type": "string", "description":
                   "RFC 4180 CSV, UTF-8 with a byte-order mark: a header row, then one row per bot request, "
                   "with the columns `conversationId, conversationCreatedAt, source, channel, userId, "
                   "externalId, requestId, createdAt, question, answer, categories, escalation, feedbackType, "
                   "reasoning, sources`, then the conversation's review on each of its rows: `reviewStatus, "
                   "reviewLabels, reviewNote, reviewedBy, reviewedAt`. Times are ISO 8601 UTC, lists `;`-joined, `sources` the cited titles "
                   "(or urls). A cell starting with `=`, `+`, `-` or `@` gets a leading `'`."},
        "example": csv_example},
}

spec = {
    "openapi": "3.0.3",
    "info": {
        "title": "Parley",
        "version": "1",
        "description":
            "Chat history for AI customer-support bots. `GET /v2/bots/requests/public` is wire-compatible with "
            "Fini's API of the same name; the rest is Parley's own. A guide with examples is `docs/api.md` in the "
            "repository.\n\n"
            "Authenticate with `Authorization: Bearer <key>` (keys start with `parley_`; a key has scopes "
            "`read`, `write`, `review` (judge conversations; `write` may too) and `admin`).\n\n"
            "Every error is `{\"error\": {\"code\", \"message\", \"param\"}}` (the `Error` schema), also the ones "
            "the HTTP server raises before Parley's code runs. Rules that hold on every route:\n"
            "- JSON bodies are at most 1 MiB (`413`), `application/json` in UTF-8 (`415`), and an unknown field "
            "is a `400` naming it. Text cannot hold the NUL character (U+0000): a `400`, in a body or a query.\n"
            "- Query parameters: an empty value (`direction=`) means absent; unknown parameters are ignored; a "
            "parameter given twice with different values is a `400` (except `source` and `category`, which are "
            "lists, whose entries cannot be empty); a value that cannot be decoded (a malformed `%` escape such "
            "as `%zz`, bytes that are not UTF-8) is a `400 invalid_parameter` naming it.\n"
            "- Every `GET` also answers `HEAD` (listed below as its own operation), with the same status and "
            "headers and no body: without a key, a `401`. A method a path does not list (`OPTIONS` too) is a "
            "`405` with `Allow`. `X-HTTP-Method-Override` is a `400`: the method is the request's own.\n"
            "- A request line over 8 KiB is a `414 uri_too_long`; headers over 8 KiB in all a "
            "`431 headers_too_large`; a request that is not HTTP this server takes a `400 bad_request`.\n"
            "- Every response carries `X-Content-Type-Options: nosniff`; responses under `/v2/` also "
            "`Cache-Control: no-store`. Responses are gzip-compressed for clients that accept it.",
    },
    "servers": [
        {"url": "/", "description": "The server that serves this document."},
        {"url": "http://{host}:{port}", "description": "A server you run.",
         "variables": {"host": {"default": "localhost", "description":
                                "Where Parley listens: `PARLEY_HOST` (an IP address; unset, every interface)."},
                       "port": {"default": "8080", "description": "`PARLEY_PORT`."}}},
    ],
    "security": [{"bearer": []}],
    "tags": [{"name": "history", "description": "Read and write conversations."},
             {"name": "transfer", "description": "Move whole histories in and out."},
             {"name": "webhooks", "description": "Tell other systems of changes as they happen (SPEC §9)."},
             {"name": "workspace", "description": "Privacy settings and the audit log of erasures."},
             {"name": "operations", "description": "Probes, metrics and this document; no key."}],
    "paths": {
        "/v2/bots/requests/public": {"get": {
            "tags": ["history"],
            "summary": "Conversations, newest first, filtered and paged by keyset (scope `read`)",
            "description": "The reference API. All filters combine with AND. Pages walk `createdAt` descending, "
                           "then `id` descending; following the cursors in either direction yields each match "
                           "exactly once, also while new conversations are recorded.",
            "operationId": "listConversations",
            "parameters": filters(True) + [
                param("limit", "Page size, 1 to 200.",
                      {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, example=20),
                param("cursor", "The `nextCursor` or `prevCursor` of an earlier page: the id of a conversation of "
                                "this workspace. Anything else (a placeholder, an id of another workspace, a "
                                "deleted conversation) is a 400 `invalid_cursor`.",
                      {"type": "string", "format": "uuid"}, example=CONVERSATION_ID),
                param("direction", "`next`: the matches right after the cursor (older; the default). "
                                   "`previous`: the ones right before it (newer), still newest first.",
                      {"type": "string", "enum": ["next", "previous"], "default": "next"}, example="next"),
            ],
            "responses": api_responses({"200": json_response("A page.", ref("Page"))}, "BadRequest"),
        }},
        "/v2/bots/requests": {"post": {
            "tags": ["history"],
            "summary": "Record one exchange (scope `write`)",
            "description": "Appends to `conversationId` when given (creating it with that id if new); else to "
                           "the conversation with the same `source` and `externalId`; else starts a new one. "
                           "A `2xx` means it is on disk.",
            "operationId": "recordExchange",
            "requestBody": json_body(ref("Exchange"), {"full": EXCHANGE_EXAMPLE, "minimal": MINIMAL_EXCHANGE_EXAMPLE}),
            "responses": api_responses({
                "201": json_response("Recorded.", ref("PlacedRequest")),
                "200": json_response("This `id` was recorded before with the same content: the stored request.",
                                     ref("PlacedRequest")),
            }, "BadRequest", "Conflict", "PayloadTooLarge", "UnsupportedMediaType",
              "RequestTimeout"),
        }},
        "/v2/bots/requests/{id}/feedback": {"put": {
            "tags": ["history"],
            "summary": "Set or clear the feedback on a bot request (scope `write`)",
            "operationId": "setFeedback",
            "parameters": [path_uuid("id", "The bot request's id", REQUEST_ID)],
            "requestBody": json_body(ref("Feedback"), {"thumbsDown": {"feedbackType": "thumbs_down"},
                                                       "clear": {"feedbackType": None}}),
            "responses": api_responses({"200": json_response("The bot request now.", ref("PlacedRequest"))},
                                       "BadRequest", "NotFound", "PayloadTooLarge", "UnsupportedMediaType",
                                       "RequestTimeout"),
        }},
        "/v2/bots/conversations/{id}/review": {"put": {
            "tags": ["history"],
            "summary": "Review a conversation (scope `review` or `write`)",
            "description": "Replaces the conversation's review; answers it. Does not change `updatedAt`.",
            "operationId": "reviewConversation",
            "parameters": [path_uuid("id", "The conversation's id", CONVERSATION_ID)],
            "requestBody": json_body(ref("ReviewBody"), {"needsWork": REVIEW_BODY_EXAMPLE,
                                                         "reviewed": {"status": "reviewed"},
                                                         "clear": {"status": None}}),
            "responses": api_responses({"200": json_response("The review now.", ref("Review"))},
                                       "BadRequest", "NotFound", "PayloadTooLarge", "UnsupportedMediaType",
                                       "RequestTimeout"),
        }},
        "/v2/bots/insights/failing-questions": {"get": {
            "tags": ["history"],
            "summary": "Where the bot fails: failing bot requests grouped by question (scope `read`)",
            "description": "The list's filters (no `cursor`, `direction`; `source` defaults to `all`, the window "
                           "to the last 30 days: without `startEpoch`, it starts 30 days before `endEpoch` or "
                           "now). A bot request fails when it escalated, got a thumbs down, or is uncited. "
                           "Questions that differ only in case, accents, punctuation, spacing, digits or "
                           "redaction tokens are one group, and so are near-duplicates: questions whose sets "
                           "of character trigrams have a Jaccard similarity of at least 0.5, joined through any "
                           "such pair. Deterministic: the same history gives the same groups in the same order.",
            "operationId": "failingQuestions",
            "parameters": filters(False) + [
                param("limit", "How many groups, 1 to 100.",
                      {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, example=10)],
            "responses": api_responses({"200": json_response("The groups.", ref("FailingQuestions"))},
                                       "BadRequest"),
        }},
        "/v2/bots/conversations/{id}": {
            "get": {
                "tags": ["history"],
                "summary": "One conversation (scope `read`)",
                "operationId": "getConversation",
                "parameters": [path_uuid("id", "The conversation's id", CONVERSATION_ID)],
                "responses": api_responses({"200": json_response("The conversation.", ref("Conversation"))},
                                           "BadRequest", "NotFound"),
            },
            "delete": {
                "tags": ["history"],
                "summary": "Delete one conversation (scope `write`)",
                "operationId": "deleteConversation",
                "parameters": [path_uuid("id", "The conversation's id", CONVERSATION_ID)],
                "responses": api_responses({"204": {"description": "Deleted."}}, "BadRequest", "NotFound"),
            },
        },
        "/v2/bots/users/{userId}/conversations": {"delete": {
            "tags": ["history"],
            "summary": "Erase one end user's history (scope `write`)",
            "operationId": "eraseUser",
            "parameters": [param("userId", "The end user's id (a conversation's `userId`), exactly; URL-encoded.",
                                 {"type": "string", "minLength": 1}, required=True, where="path",
                                 example="user-42")],
            "responses": api_responses({"200": json_response(
                "How many conversations were deleted (0 when the user has none).",
                {"type": "object", "required": ["deleted"], "properties": {"deleted": {"type": "integer"}}},
                {"deleted": 1})}, "BadRequest"),
        }},
        "/v2/bots/conversations/export": {"get": {
            "tags": ["transfer"],
            "summary": "Every matching conversation, newest first, streamed (scope `read`)",
            "description": "The list's filters (no `limit`, `cursor`, `direction`; `source` defaults to `all`). "
                           "NDJSON by default; CSV with `format=csv` or `Accept: text/csv`.",
            "operationId": "exportConversations",
            "parameters": filters(False) + [
                param("format", "`ndjson` (default; `jsonl` is the same) or `csv`. Without it, "
                                "`Accept: text/csv` asks for CSV.",
                      {"type": "string", "enum": ["ndjson", "jsonl", "csv"]}, example="csv"),
            ],
            "responses": api_responses({"200": {
                "description": "The matches, streamed.",
                "headers": {"Content-Disposition": header(
                    "`attachment; filename=\"parley-export.ndjson\"` (or `.csv`)."),
                    "Parley-Changes-Cursor": header(
                        "Where the changes feed stood when the export read its snapshot: following "
                        "`/v2/bots/conversations/changes` from this cursor after loading the export misses nothing.")},
                "content": export_content}}, "BadRequest", "TooManyExports"),
        }},
        "/v2/bots/conversations/changes": {"get": {
            "tags": ["transfer"],
            "summary": "The changes feed: changed and deleted conversations in commit order, with long polling "
                       "(scope `read`)",
            "description": "For mirroring the history into your own systems: load an export, then follow this feed "
                           "from the export's `Parley-Changes-Cursor`, each time from the last `nextCursor`. "
                           "Changes are listed in commit order; a conversation changed several times since the "
                           "cursor is listed once, as it is now. Every write makes a change: an exchange, feedback, "
                           "an import, a deletion, a user's erasure. Following `nextCursor` never misses a "
                           "committed change and never lists one twice, with several writers and several "
                           "instances. With `wait`, a request that finds nothing new waits for the next commit in "
                           "the workspace (and answers within a second of it), or answers an empty page when the "
                           "time is up.",
            "operationId": "listChanges",
            "parameters": [
                param("cursor", "A `nextCursor` of an earlier page, or an export's `Parley-Changes-Cursor`; opaque. "
                                "Absent (or empty): from the beginning. One that is malformed, altered or another "
                                "workspace's is a 400 `invalid_cursor`; one older than `PARLEY_TOMBSTONE_DAYS` a 410.",
                      {"type": "string"}, example=""),
                param("limit", "At most this many changes, 1 to 500.",
                      {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, example=100),
                param("wait", "Seconds to wait, 0 to 30, when nothing lies past the cursor (long polling).",
                      {"type": "integer", "minimum": 0, "maximum": 30, "default": 0}, example=0),
            ],
            "responses": api_responses({"200": json_response("A page of changes.", ref("Changes"))},
                                       "BadRequest", "CursorExpired", "TooManyPolls"),
        }},
        "/v2/bots/conversations/import": {"post": {
            "tags": ["transfer"],
            "summary": "Import conversations, all or nothing (scope `write`)",
            "description": "One conversation a line, in the shape the GET returns (see `ImportedConversation`). "
                           "One bad line (not JSON, a field it does not have, a value out of its range) is a 400 "
                           "`invalid_body` whose message names the line number, and nothing is written. "
                           "The body may be up to `PARLEY_IMPORT_MAX_BYTES` (default 1 GiB), a line up to "
                           "16 MiB.",
            "operationId": "importConversations",
            "requestBody": {"required": True, "content": {
                "application/x-ndjson": {"schema": ndjson_of_imports, "examples": {
                    "full": {"value": json.dumps(IMPORT_EXAMPLE, separators=(",", ":")) + "\n"},
                    "minimal": {"value": json.dumps(MINIMAL_IMPORT_EXAMPLE, separators=(",", ":")) + "\n"}}},
                "application/jsonl": {"schema": ndjson_of_imports, "example":
                                      json.dumps(MINIMAL_IMPORT_EXAMPLE, separators=(",", ":")) + "\n"}}},
            "responses": api_responses({"200": json_response(
                "Imported: how many conversations.",
                {"type": "object", "required": ["imported"], "properties": {"imported": {"type": "integer"}}},
                {"imported": 1})}, "BadRequest", "Conflict", "PayloadTooLarge", "UnsupportedMediaType",
              "RequestTimeout"),
        }},
        "/v2/bots/stats": {"get": {
            "tags": ["history"],
            "summary": "Totals, feedback, a row per day and the top categories of the matches (scope `read`)",
            "description": "The list's filters (no `limit`, `cursor`, `direction`; `source` defaults to `all`).",
            "operationId": "stats",
            "parameters": filters(False),
            "responses": api_responses({"200": json_response("The numbers.", ref("Stats"))}, "BadRequest"),
        }},
        "/v2/bots/webhooks": {
            "post": {
                "tags": ["webhooks"],
                "summary": "Register a webhook (scope `admin`)",
                "description": "Deliveries are `POST`s of `{\"id\", \"type\", \"timestamp\", \"data\": "
                               "{\"conversationId\", \"requestId\"}}`, signed the Standard Webhooks way "
                               "(`webhook-id`, `webhook-timestamp`, `webhook-signature`), at least once, retried "
                               "with backoff for 24 hours on any answer but a 2xx within 10 s.",
                "operationId": "registerWebhook",
                "requestBody": json_body(ref("NewWebhook"), {
                    "escalations": {"url": WEBHOOK_URL, "events": ["request.escalated", "request.feedback"]},
                    "everything": {"url": WEBHOOK_URL}}),
                "responses": api_responses({"201": json_response(
                    "Registered; the secret is shown only here.", ref("CreatedWebhook"),
                    {"id": WEBHOOK_ID, "url": WEBHOOK_URL, "events": ["request.escalated", "request.feedback"],
                     "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "createdAt": EXAMPLE_CREATED_AT})},
                    "BadRequest", "PayloadTooLarge", "UnsupportedMediaType", "RequestTimeout"),
            },
            "get": {
                "tags": ["webhooks"],
                "summary": "The workspace's webhooks, without their secrets (scope `admin`)",
                "operationId": "listWebhooks",
                "responses": api_responses({"200": json_response("The webhooks.", ref("WebhookList"), {"data": [
                    {"id": WEBHOOK_ID, "url": WEBHOOK_URL, "events": ["request.escalated", "request.feedback"],
                     "createdAt": EXAMPLE_CREATED_AT}]})}, "BadRequest"),
            },
        },
        "/v2/bots/webhooks/{id}": {"delete": {
            "tags": ["webhooks"],
            "summary": "Remove a webhook, and the deliveries it is still owed (scope `admin`)",
            "operationId": "deleteWebhook",
            "parameters": [path_uuid("id", "The webhook's id", WEBHOOK_ID)],
            "responses": api_responses({"204": {"description": "Removed."}}, "BadRequest", "NotFound"),
        }},
        "/v2/bots/webhooks/{id}/deliveries": {"get": {
            "tags": ["webhooks"],
            "summary": "A webhook's recent deliveries (scope `admin`)",
            "operationId": "listDeliveries",
            "parameters": [path_uuid("id", "The webhook's id", WEBHOOK_ID)],
            "responses": api_responses({"200": json_response("The 100 most recent, newest first.",
                                                             ref("DeliveryList"), {"data": [{"id": DELIVERY_ID, "eventId": EVENT_ID, "event": "request.escalated", "conversationId": CONVERSATION_ID,
             "requestId": REQUEST_ID, "occurredAt": EXAMPLE_CREATED_AT, "state": "pending", "attempts": 2,
             "lastStatus": 503, "lastError": None, "lastAttemptAt": EXAMPLE_CREATED_AT + 20000,
             "nextAttemptAt": EXAMPLE_CREATED_AT + 65000}]})},
                                       "BadRequest", "NotFound"),
        }},
        "/v2/bots/webhooks/{id}/deliveries/{deliveryId}/retry": {"post": {
            "tags": ["webhooks"],
            "summary": "Send a delivery again, now (scope `admin`)",
            "description": "Whatever became of it: it is owed again, and retried on failure while its event is "
                           "less than a day old. No body.",
            "operationId": "retryDelivery",
            "parameters": [path_uuid("id", "The webhook's id", WEBHOOK_ID),
                           path_uuid("deliveryId", "The delivery's id", DELIVERY_ID)],
            "responses": api_responses({"202": json_response("Owed again; attempted shortly.", ref("Delivery"),
                                                             {"id": DELIVERY_ID, "eventId": EVENT_ID, "event": "request.escalated", "conversationId": CONVERSATION_ID,
             "requestId": REQUEST_ID, "occurredAt": EXAMPLE_CREATED_AT, "state": "pending", "attempts": 2,
             "lastStatus": 503, "lastError": None, "lastAttemptAt": EXAMPLE_CREATED_AT + 20000,
             "nextAttemptAt": EXAMPLE_CREATED_AT + 65000})},
                                       "BadRequest", "NotFound"),
        }},
        "/v2/workspace": {
            "get": {
                "tags": ["workspace"],
                "summary": "The workspace's privacy settings and the calling key (any scope)",
                "operationId": "getWorkspace",
                "responses": api_responses({"200": json_response("The settings.", ref("Workspace"))}, "BadRequest"),
            },
            "patch": {
                "tags": ["workspace"],
                "summary": "Change the privacy settings (scope `admin`)",
                "description": "Merges what it is given. A change of `redaction` applies to later writes; "
                               "`parley workspace redact` applies it to stored history. Answers the GET's shape.",
                "operationId": "changeWorkspace",
                "requestBody": json_body(ref("WorkspaceChange"), {
                    "redactEverything": {"redaction": {"email": True, "phone": True, "card": True}},
                    "retention": {"retentionDays": 365},
                    "keepForEver": {"retentionDays": None}}),
                "responses": api_responses({"200": json_response("The settings now.", ref("Workspace"))},
                                           "BadRequest", "PayloadTooLarge", "UnsupportedMediaType",
                                           "RequestTimeout"),
            },
        },
        "/v2/workspace/audit": {"get": {
            "tags": ["workspace"],
            "summary": "The audit log of erasures, newest first (scope `admin`)",
            "operationId": "getAuditLog",
            "responses": api_responses({"200": json_response("The newest entries.", ref("AuditLog"))}, "BadRequest"),
        }},
        "/healthz": {"get": {
            "tags": ["operations"], "summary": "Alive: 200 while the process lives", "operationId": "healthz",
            "security": [],
            "responses": probe_responses({"200": json_response(
                "Alive (answered ahead of load shedding: a busy server is alive).",
                {"type": "object", "properties": {"status": {"type": "string"}}}, {"status": "ok"})}, shed=False)}},
        "/readyz": {"get": {
            "tags": ["operations"], "summary": "Ready: the store answers", "operationId": "readyz", "security": [],
            "responses": probe_responses({"200": json_response(
                "Ready.", {"type": "object", "properties": {"status": {"type": "string"}}}, {"status": "ready"})})}},
        "/metrics": {"get": {
            "tags": ["operations"], "summary": "Prometheus metrics", "operationId": "metrics", "security": [],
            "responses": probe_responses({"200": {"description": "Prometheus text format.",
                                                  "content": {"text/plain": {"schema": {"type": "string"}}}}})}},
        "/openapi.json": {"get": {
            "tags": ["operations"], "summary": "This document", "operationId": "openapi", "security": [],
            "responses": probe_responses({"200": json_response("OpenAPI 3.", {"type": "object"})})}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An API key (`parley_…`); each route names the scope it needs."}},
        "responses": ERROR_RESPONSES,
        "schemas": schemas,
    },
}



def without_body(response):
    """A HEAD answer: the GET's status and headers, no content."""
    if "$ref" in response:
        response = ERROR_RESPONSES[response["$ref"].rsplit("/", 1)[1]]
    answer = {"description": response["description"] + " (Headers only: a HEAD has no body.)"}
    if "headers" in response:
        answer["headers"] = response["headers"]
    return answer


def head_of(get):
    """HEAD runs the GET's handler (api/Routes.getAndHead): same checks, same status and headers."""
    head = {k: v for k, v in get.items() if k not in ("responses", "summary", "operationId", "description")}
    head["summary"] = "Headers of: " + get["summary"][0].lower() + get["summary"][1:]
    head["description"] = "What `GET` answers, with the same status and headers (`Content-Length` included, " \
                          "except for a stream), without the body."
    head["operationId"] = get["operationId"] + "Head"
    head["responses"] = {status: without_body(response) for status, response in get["responses"].items()}
    return head


for item in spec["paths"].values():
    if "get" in item:
        item["head"] = head_of(item["get"])

here = os.path.dirname(os.path.abspath(__file__))
# OpenApiTest writes elsewhere to check that the committed document is this script's
target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "src", "main", "resources",
                                                             "openapi.json")
with open(target, "w") as out:
    json.dump(spec, out, indent=2, ensure_ascii=False)
    out.write("\n")
