package dev.parley.transfer;

import dev.parley.history.BotRequest;
import dev.parley.history.Citations;
import dev.parley.history.Conversation;
import dev.parley.history.FeedbackType;
import dev.parley.history.Source;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic generated history for demos and benchmarks: a spread of sources over six months,
 * several exchanges per conversation, categories, escalations, feedback, knowledge citations,
 * answers with and without links, in five languages. The same seed gives the same history.
 *
 * <p>A few things are rare on purpose, so that benchmarks can measure rare filters: the
 * category {@code legal-hold} with its question about a "litigation hold" (about 0.05% of
 * conversations), and a handful of users and tickets.
 */
public final class DemoData {

    /** The generated history ends here (2026-11-01T00:00Z), whatever day it is generated on. */
    public static final long END = 1_793_491_200_000L;
    public static final long SPAN = 182L * 24 * 60 * 60 * 1000;
    public static final String RARE_CATEGORY = "legal-hold";
    /** The question of the rare conversations: a selective term for the substring filters. */
    public static final String RARE_QUESTION = "Our lawyers ask you to keep every record of my account under a litigation hold";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Source[] SOURCES = {Source.WIDGET, Source.WIDGET, Source.WIDGET, Source.ZENDESK, Source.ZENDESK,
            Source.INTERCOM, Source.INTERCOM, Source.SLACK, Source.API, Source.DISCORD, Source.UI};
    private static final String[] CHANNELS = {"chat", "chat", "chat", "email", "voice"};

    private record Topic(String category, String[][] questions, String[][] answers, String article) {
    }

    private static final Topic[] TOPICS = {
            new Topic("orders", new String[][] {
                    {"Where is my order?", "Où est ma commande ?", "Wo ist meine Bestellung?", "¿Dónde está mi pedido?", "注文した商品はどこですか？"},
                    {"My package hasn't arrived yet", "Mon colis n'est pas encore arrivé", "Mein Paket ist noch nicht angekommen", "Mi paquete aún no ha llegado", "荷物がまだ届きません"}},
                    new String[][] {
                            {"You can track your order from the Orders page.", "Vous pouvez suivre votre commande depuis la page Commandes.", "Sie können Ihre Bestellung auf der Seite Bestellungen verfolgen.", "Puede seguir su pedido desde la página Pedidos.", "注文ページから追跡できます。"},
                            {"Deliveries take 3 to 5 business days: https://help.example.com/shipping", "La livraison prend 3 à 5 jours ouvrés : https://help.example.com/shipping", "Die Lieferung dauert 3 bis 5 Werktage: https://help.example.com/shipping", "La entrega tarda de 3 a 5 días hábiles: https://help.example.com/shipping", "配送には3〜5営業日かかります: https://help.example.com/shipping"}},
                    "Tracking your order"),
            new Topic("billing", new String[][] {
                    {"Why was I charged twice?", "Pourquoi ai-je été débité deux fois ?", "Warum wurde ich doppelt belastet?", "¿Por qué me cobraron dos veces?", "二重に請求されたのはなぜですか？"},
                    {"How do I update my card?", "Comment mettre à jour ma carte ?", "Wie aktualisiere ich meine Karte?", "¿Cómo actualizo mi tarjeta?", "カードを更新するには？"}},
                    new String[][] {
                            {"A pending authorization disappears within 48 hours.", "Une pré-autorisation disparaît sous 48 heures.", "Eine Vormerkung verschwindet innerhalb von 48 Stunden.", "Una preautorización desaparece en 48 horas.", "仮売上は48時間以内に消えます。"},
                            {"Go to Settings → Billing to change your payment method.", "Allez dans Paramètres → Facturation.", "Gehen Sie zu Einstellungen → Abrechnung.", "Vaya a Ajustes → Facturación.", "設定 → 請求 から変更できます。"}},
                    "Payments and invoices"),
            new Topic("refunds", new String[][] {
                    {"Can I get a refund?", "Puis-je être remboursé ?", "Kann ich eine Rückerstattung bekommen?", "¿Puedo obtener un reembolso?", "返金できますか？"},
                    {"How long does a refund take?", "Combien de temps prend un remboursement ?", "Wie lange dauert eine Rückerstattung?", "¿Cuánto tarda un reembolso?", "返金にはどのくらいかかりますか？"}},
                    new String[][] {
                            {"Yes, within 30 days of purchase: https://help.example.com/refunds", "Oui, sous 30 jours : https://help.example.com/refunds", "Ja, innerhalb von 30 Tagen: https://help.example.com/refunds", "Sí, dentro de 30 días: https://help.example.com/refunds", "購入後30日以内なら可能です: https://help.example.com/refunds"},
                            {"Refunds reach your bank in 5 to 10 days.", "Les remboursements arrivent sous 5 à 10 jours.", "Rückerstattungen dauern 5 bis 10 Tage.", "Los reembolsos tardan de 5 a 10 días.", "返金は5〜10日で届きます。"}},
                    "Refund policy"),
            new Topic("account", new String[][] {
                    {"I can't log in", "Je n'arrive pas à me connecter", "Ich kann mich nicht anmelden", "No puedo iniciar sesión", "ログインできません"},
                    {"How do I reset my password?", "Comment réinitialiser mon mot de passe ?", "Wie setze ich mein Passwort zurück?", "¿Cómo restablezco mi contraseña?", "パスワードをリセットするには？"}},
                    new String[][] {
                            {"Use \"Forgot password\" on the sign-in page.", "Utilisez « Mot de passe oublié ».", "Nutzen Sie „Passwort vergessen“.", "Use «Olvidé mi contraseña».", "「パスワードを忘れた」を使ってください。"},
                            {"We sent a reset link to your e-mail address.", "Nous avons envoyé un lien par e-mail.", "Wir haben Ihnen einen Link geschickt.", "Le enviamos un enlace por correo.", "リセットリンクを送信しました。"}},
                    "Signing in"),
            new Topic("technical", new String[][] {
                    {"The app crashes when I open it", "L'application plante au démarrage", "Die App stürzt beim Öffnen ab", "La aplicación se cierra al abrirla", "アプリを開くとクラッシュします"},
                    {"Is there an API rate limit?", "Y a-t-il une limite de l'API ?", "Gibt es ein API-Limit?", "¿Hay un límite de la API?", "APIのレート制限はありますか？"}},
                    new String[][] {
                            {"Please update to the latest version and restart.", "Mettez à jour vers la dernière version.", "Bitte aktualisieren Sie auf die neueste Version.", "Actualice a la última versión.", "最新版に更新して再起動してください。"},
                            {"Yes: 200 requests per second per key, see https://docs.example.com/limits", "Oui : 200 requêtes par seconde, voir https://docs.example.com/limits", "Ja: 200 Anfragen pro Sekunde, siehe https://docs.example.com/limits", "Sí: 200 solicitudes por segundo, ver https://docs.example.com/limits", "はい、キーごとに毎秒200件です: https://docs.example.com/limits"}},
                    "Troubleshooting"),
    };

    private final Random random;
    private final int userPool;

    private DemoData(long seed, long conversations) {
        this.random = new Random(seed);
        this.userPool = (int) Math.max(10, conversations / 3);
    }

    /** The generated conversations, in batches, for a consumer that stores them. */
    public interface Sink {
        void accept(List<Conversation> batch);
    }

    public static void generate(long seed, long count, int batchSize, Sink sink) {
        DemoData data = new DemoData(seed, count);
        List<Conversation> batch = new ArrayList<>(batchSize);
        for (long i = 0; i < count; i++) {
            batch.add(data.conversation(i));
            if (batch.size() == batchSize) {
                sink.accept(List.copyOf(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sink.accept(List.copyOf(batch));
        }
    }

    private Conversation conversation(long index) {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        Source source = SOURCES[random.nextInt(SOURCES.length)];
        int language = random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(4);
        long startedAt = END - (long) (random.nextDouble() * SPAN);
        int exchanges = 1 + (int) Math.min(7, Math.abs(random.nextGaussian() * 2));
        List<BotRequest> requests = new ArrayList<>(exchanges);
        long at = startedAt;
        for (int e = 0; e < exchanges; e++) {
            requests.add(request(language, at, e == exchanges - 1));
            at += 5_000 + random.nextInt(120_000);
        }
        if (random.nextInt(2000) == 0) {
            BotRequest first = requests.get(0);
            List<String> categories = new ArrayList<>(first.categories());
            categories.add(RARE_CATEGORY);
            requests.set(0, new BotRequest(first.id(), RARE_QUESTION, first.answer(), categories, first.escalation(),
                    first.reasoning(), first.feedbackType(), first.expectingUserFollowup(), first.createdAt(),
                    first.basedOn()));
        }
        Optional<String> ticket = source == Source.ZENDESK || source == Source.INTERCOM
                ? Optional.of((source == Source.ZENDESK ? "ZD-" : "IC-") + (100_000 + index)) : Optional.empty();
        Optional<String> url = ticket.map(t -> "https://support.example.com/tickets/" + t);
        Optional<String> user = random.nextInt(10) < 8 ? Optional.of("user-" + random.nextInt(userPool)) : Optional.empty();
        long updatedAt = requests.get(requests.size() - 1).createdAt();
        return Conversation.fromRequests(id, ticket, source, Optional.of(CHANNELS[random.nextInt(CHANNELS.length)]),
                url, user, startedAt, updatedAt, requests);
    }

    private BotRequest request(int language, long at, boolean last) {
        Topic topic = TOPICS[random.nextInt(TOPICS.length)];
        int variant = random.nextInt(topic.questions().length);
        String question = topic.questions()[variant][language];
        String answer = topic.answers()[variant][language];
        boolean cites = random.nextInt(3) > 0;
        List<String> categories = random.nextInt(5) == 0 ? List.of(topic.category(), "fini-other")
                : List.of(topic.category());
        Optional<FeedbackType> feedback = switch (random.nextInt(8)) {
            case 0, 1 -> Optional.of(FeedbackType.THUMBS_UP);
            case 2 -> Optional.of(FeedbackType.THUMBS_DOWN);
            default -> Optional.empty();
        };
        Optional<String> reasoning = random.nextBoolean()
                ? Optional.of("Matched the question to '" + topic.article() + "'.") : Optional.empty();
        return new BotRequest(new UUID(random.nextLong(), random.nextLong()), question, answer, categories,
                random.nextInt(16) == 0, reasoning, feedback, last && random.nextInt(4) == 0, at,
                cites ? citation(topic, variant) : Citations.NONE);
    }

    private Citations citation(Topic topic, int variant) {
        ArrayNode array = JSON.createArrayNode();
        ObjectNode entry = array.addObject();
        entry.put("sourceId", "kb-" + topic.category() + "-" + variant);
        entry.put("sourceType", "article");
        entry.put("title", topic.article());
        entry.put("url", "https://help.example.com/articles/" + topic.category() + "-" + variant);
        entry.put("score", Math.round(random.nextDouble() * 1000) / 1000.0);
        return Citations.of("basedOn", array);
    }
}
