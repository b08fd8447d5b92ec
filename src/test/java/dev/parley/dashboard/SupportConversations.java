package dev.parley.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversations a support lead would recognise, recorded through the write API at fixed times,
 * so that the dashboard tests know exactly what each filter and page must show.
 */
final class SupportConversations {

    /** The first conversation starts here; each next one nine hours and a few minutes later. */
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();

    record Citation(String sourceId, String title, String url, String snippet) {
    }

    record Topic(String question, String answer, List<String> categories, Citation citation, String reasoning,
            boolean escalates, String followUp, String followUpAnswer) {
    }

    /** What was recorded for one conversation. */
    record Recorded(String id, String source, String firstQuestion, Instant createdAt, int exchanges,
            Optional<String> feedback, boolean escalation, List<String> categories, List<String> requestIds) {
    }

    static final List<Topic> TOPICS = List.of(
            new Topic("Where is my order #48213? It was supposed to arrive yesterday.",
                    "I'm sorry it's late. Order #48213 left our warehouse on Monday and is with the carrier now; the"
                            + " tracking page shows delivery tomorrow before 6 pm.",
                    List.of("orders", "shipping"),
                    new Citation("kb-112", "Tracking your order", "https://help.acme-outdoor.example/orders/tracking",
                            "Every order gets a tracking link by e-mail as soon as it leaves the warehouse."),
                    "The customer asks about a late order. The order lookup shows it shipped; the tracking article"
                            + " explains the carrier's delivery window.",
                    false, "Can I pick it up at the depot instead?",
                    "Yes: the carrier keeps parcels at the depot for 7 days. Bring the tracking number and an ID."),
            new Topic("How do I return a tent that arrived damaged?",
                    "Sorry about that! Damaged items can be returned free of charge within 30 days. Start a return"
                            + " from your orders page and choose 'Arrived damaged'; we send a prepaid label.",
                    List.of("returns"),
                    new Citation("kb-204", "Returns and damaged items", "https://help.acme-outdoor.example/returns",
                            "Items that arrive damaged are replaced or refunded, and the return is free."),
                    "Damaged on arrival: the returns policy covers it, no need for a person.",
                    false, "Will I get a refund or a new tent?",
                    "You choose when you start the return: a replacement ships as soon as the carrier scans the"
                            + " parcel; a refund takes 3 to 5 working days."),
            new Topic("My discount code SPRING20 doesn't work at checkout.",
                    "SPRING20 ended on March 1st, which is why checkout refuses it. I've passed this to our team so"
                            + " they can see whether they can still honour it for you.",
                    List.of("billing", "promotions"),
                    new Citation("kb-301", "Discount codes", "https://help.acme-outdoor.example/billing/discounts",
                            "Codes are valid until the date in the campaign e-mail."),
                    "The code expired; the customer may be upset. Hand over so a person can decide on goodwill.",
                    true, null, null),
            new Topic("How do I reset my password?",
                    "Choose 'Forgot password' on the sign-in page and enter your e-mail address. The reset link is"
                            + " valid for one hour.",
                    List.of("account"),
                    new Citation("kb-015", "Resetting your password", "https://help.acme-outdoor.example/account/password",
                            "The link in the reset e-mail expires after one hour."),
                    null, false, null, null),
            new Topic("I was charged twice for the same order.",
                    "I can see two payments for order #47730. One is a pre-authorisation that your bank releases"
                            + " within 5 days, but I've asked a colleague to confirm and refund it if it was captured.",
                    List.of("billing"),
                    new Citation("kb-322", "Pending and duplicate charges", "https://help.acme-outdoor.example/billing/charges",
                            "A pending charge is a hold, not a payment; banks release it within a few days."),
                    "Possible double capture: money is involved, so escalate to a person.",
                    true, "How will I know when it's refunded?",
                    "You'll get an e-mail from us the moment the refund is issued, and your bank statement shows it"
                            + " within 3 to 5 working days."),
            new Topic("Is the Trail Runner jacket waterproof?",
                    "Yes. The Trail Runner has a 20,000 mm waterproof membrane and taped seams, so it keeps you dry"
                            + " in heavy rain.",
                    List.of("product"),
                    new Citation("pim-9921", "Trail Runner jacket: specifications",
                            "https://shop.acme-outdoor.example/products/trail-runner-jacket",
                            "Waterproof rating 20,000 mm; breathability 15,000 g/m²/24h."),
                    null, false, null, null),
            new Topic("Do you ship to Norway?",
                    "We do! Delivery to Norway takes 4 to 6 working days. Import VAT is collected at checkout, so"
                            + " there is nothing to pay on delivery.",
                    List.of("shipping"),
                    new Citation("kb-140", "International shipping", "https://help.acme-outdoor.example/shipping/international",
                            "We ship to all EU and EEA countries, Switzerland and the UK."),
                    null, false, null, null),
            new Topic("What's the warranty on the Summit 2 sleeping bag?",
                    "The Summit 2 has a lifetime warranty against manufacturing defects. Keep your order number;"
                            + " that's all we need.",
                    List.of("product", "warranty"),
                    new Citation("kb-410", "Warranty", "https://help.acme-outdoor.example/warranty",
                            "Sleeping bags and tents carry a lifetime warranty against defects."),
                    null, false, null, null),
            new Topic("Can I speak to a person please",
                    "Of course. I've passed our conversation to the support team; someone will reply here within"
                            + " 2 hours during opening times.",
                    List.of("handover"),
                    null, "The customer asks for a person.", true, null, null),
            new Topic("How do I cancel my subscription box?",
                    "You can cancel any time under Account → Subscriptions → Cancel. Boxes that have already"
                            + " shipped can still be returned.",
                    List.of("account", "billing"),
                    new Citation("kb-031", "Managing your subscription",
                            "https://help.acme-outdoor.example/account/subscriptions",
                            "Cancel before the 20th to stop next month's box."),
                    null, false, null, null));

    private static final String[] SOURCES = {"widget", "zendesk", "widget", "intercom", "slack", "widget", "zendesk"};

    private SupportConversations() {
    }

    /** Records {@code count} conversations, oldest first, and gives their feedback. */
    static List<Recorded> record(TestServer server, String key, int count) {
        List<Recorded> recorded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recorded.add(recordOne(server, key, i));
        }
        return recorded;
    }

    private static Recorded recordOne(TestServer server, String key, int index) {
        Topic topic = TOPICS.get(index % TOPICS.size());
        String source = SOURCES[index % SOURCES.length];
        Instant createdAt = START.plus(Duration.ofHours(9L * index)).plus(Duration.ofMinutes(17L * (index % 3)));
        ObjectNode first = exchange(source, topic.question(), topic.answer(), topic.categories(), topic.citation(),
                topic.reasoning(), topic.escalates(), createdAt);
        first.put("userId", "customer-" + (100 + index % 9));
        if (source.equals("zendesk")) {
            first.put("externalId", "ZD-" + (4100 + index));
            first.put("url", "https://acme.zendesk.example/agent/tickets/" + (4100 + index));
            first.put("channel", "email");
        } else {
            first.put("channel", "chat");
        }
        Response answer = post(server, key, first);
        String conversationId = answer.json().get("conversationId").asText();
        List<String> requestIds = new ArrayList<>(List.of(answer.json().get("id").asText()));
        if (topic.followUp() != null && index % 2 == 0) {
            ObjectNode second = exchange(source, topic.followUp(), topic.followUpAnswer(), topic.categories(), null, null,
                    false, createdAt.plus(Duration.ofMinutes(3)));
            second.put("conversationId", conversationId);
            requestIds.add(post(server, key, second).json().get("id").asText());
        }
        Optional<String> feedback = switch (index % 5) {
            case 1 -> Optional.of("thumbs_up");
            case 3 -> Optional.of("thumbs_down");
            default -> Optional.empty();
        };
        feedback.ifPresent(type -> {
            Response response = server.put("/v2/bots/requests/" + requestIds.get(requestIds.size() - 1) + "/feedback",
                    key, "{\"feedbackType\": \"" + type + "\"}");
            if (response.status() != 200) {
                throw new IllegalStateException("feedback was refused: " + response);
            }
        });
        return new Recorded(conversationId, source, topic.question(), createdAt, requestIds.size(), feedback,
                topic.escalates(), topic.categories(), List.copyOf(requestIds));
    }

    static ObjectNode exchange(String source, String question, String answer, List<String> categories,
            Citation citation, String reasoning, boolean escalation, Instant createdAt) {
        ObjectNode body = JSON.createObjectNode();
        body.put("source", source);
        body.put("question", question);
        body.put("answer", answer);
        ArrayNode categoryArray = body.putArray("categories");
        categories.forEach(categoryArray::add);
        body.put("escalation", escalation);
        if (reasoning != null) {
            body.put("reasoning", reasoning);
        }
        if (citation != null) {
            ObjectNode cited = body.putArray("basedOn").addObject();
            cited.put("sourceId", citation.sourceId());
            cited.put("sourceType", "article");
            cited.put("title", citation.title());
            cited.put("url", citation.url());
            cited.put("snippet", citation.snippet());
            cited.put("score", 0.87);
        }
        body.put("createdAt", createdAt.toEpochMilli());
        return body;
    }

    static Response post(TestServer server, String key, ObjectNode body) {
        Response response = server.post("/v2/bots/requests", key, body.toString());
        if (response.status() != 201) {
            throw new IllegalStateException("recording was refused: " + response);
        }
        return response;
    }
}
