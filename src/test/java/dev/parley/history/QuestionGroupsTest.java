package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The grouping of failing questions (SPEC §11) on a seeded corpus: 30 intents in three languages,
 * each asked in 10 wordings (a paraphrase, typos, case, punctuation, digits, redaction tokens,
 * accents), among 120 unrelated questions. Measured pairwise: precision is the share of pairs put
 * in one group that are one intent, recall the share of pairs of one intent put in one group.
 */
class QuestionGroupsTest {

    /** Each intent: a wording and a paraphrase of it. English, French, Spanish: ten each. */
    private static final String[][] INTENTS = {
            {"How do I reset my password?", "How can I reset my password"},
            {"Where is my order?", "Where is my order right now"},
            {"Can I get a refund for my subscription?", "Can I get a refund on my subscription"},
            {"How do I cancel my account?", "How can I cancel my account"},
            {"Why was my credit card declined?", "Why did my credit card get declined"},
            {"Do you ship to Canada?", "Do you ship orders to Canada"},
            {"How do I change my delivery address?", "How can I change the delivery address"},
            {"What are your opening hours?", "What are your opening hours today"},
            {"Is there a student discount?", "Is there any student discount"},
            {"How do I export my invoices as PDF?", "How can I export invoices as PDF"},
            {"Comment réinitialiser mon mot de passe ?", "Comment puis-je réinitialiser mon mot de passe"},
            {"Où est ma commande ?", "Où se trouve ma commande"},
            {"Puis-je être remboursé de mon abonnement ?", "Puis-je être remboursé pour mon abonnement"},
            {"Comment supprimer mon compte client ?", "Comment je supprime mon compte client"},
            {"Livrez-vous en Belgique ?", "Est-ce que vous livrez en Belgique"},
            {"Quels sont vos horaires d'ouverture ?", "Quels sont les horaires d'ouverture"},
            {"Ma carte bancaire a été refusée, pourquoi ?", "Pourquoi ma carte bancaire a été refusée"},
            {"Comment modifier mon adresse de livraison ?", "Comment changer mon adresse de livraison"},
            {"Avez-vous une réduction étudiante ?", "Existe-t-il une réduction étudiante"},
            {"Comment télécharger mes factures ?", "Comment puis-je télécharger mes factures"},
            {"¿Cómo restablezco mi contraseña?", "¿Cómo puedo restablecer mi contraseña?"},
            {"¿Dónde está mi pedido?", "¿Dónde está mi pedido ahora?"},
            {"¿Puedo pedir un reembolso de la suscripción?", "¿Puedo solicitar un reembolso de la suscripción?"},
            {"¿Cómo cierro mi cuenta?", "¿Cómo puedo cerrar mi cuenta?"},
            {"¿Hacen envíos a México?", "¿Hacen envíos internacionales a México?"},
            {"¿Cuál es el horario de atención?", "¿Cuál es su horario de atención al cliente?"},
            {"¿Por qué rechazaron mi tarjeta de crédito?", "¿Por qué fue rechazada mi tarjeta de crédito?"},
            {"¿Cómo cambio la dirección de envío?", "¿Cómo puedo cambiar la dirección de envío?"},
            {"¿Tienen descuento para estudiantes?", "¿Hay descuento para estudiantes?"},
            {"¿Cómo descargo mis facturas en PDF?", "¿Cómo puedo descargar mis facturas en PDF?"},
    };

    /** Questions of no intent above, nor of each other's. */
    private static final String[] UNRELATED = {
            "Can I pay with PayPal?", "Is the app available on Android?", "Who is your CEO?",
            "Do you offer gift wrapping?", "What is the warranty on laptops?", "Can I change the language to German?",
            "How heavy is the large backpack?", "Are your products vegan?", "Can I book a demo call?",
            "Is my data stored in Europe?", "What does error 502 mean?", "Can two people share one licence?",
            "Do you have a loyalty programme?", "How long does the battery last?", "Is the jacket waterproof?",
            "Can I pick up in store?", "Which browsers are supported?", "Do you sell spare parts?",
            "Is there an API rate limit?", "How do I enable two factor authentication?", "Can I merge two accounts?",
            "What size should I choose?", "Is assembly included?", "Where are you located?",
            "Do you recycle old phones?", "Can I schedule a delivery for Saturday?", "How do I redeem a voucher?",
            "Are there any job openings?", "Is the coffee machine dishwasher safe?", "Can I upgrade my plan mid month?",
            "Does the price include VAT?", "How do I contact a human agent?", "What is your privacy policy?",
            "Can I change my username?", "How many devices can I use?", "Do you have a dark mode?",
            "Is there a mobile hotspot option?", "Why is the website so slow?", "Can I order by phone?",
            "Do you support single sign on?", "Can I add a note for the courier?", "How fresh are the vegetables?",
            "Is there a free trial?", "Can I rent instead of buying?", "What payment plans exist?",
            "Can I track the parcel by SMS?", "Is the sofa available in blue?", "Do you price match?",
            "Acceptez-vous les chèques vacances ?", "L'application fonctionne-t-elle hors ligne ?",
            "Qui fabrique vos chaussures ?", "Proposez-vous l'emballage cadeau ?", "Quelle est la garantie du vélo ?",
            "Puis-je parler à un conseiller ?", "Les piles sont-elles incluses ?", "Où sont fabriqués vos meubles ?",
            "Y a-t-il un parking devant le magasin ?", "Le produit contient-il du gluten ?",
            "Puis-je payer en trois fois ?", "Faites-vous la reprise des anciens appareils ?",
            "Le manteau taille-t-il grand ?", "Combien de temps dure l'essai gratuit ?",
            "Puis-je annuler une réservation d'hôtel ?", "Quel est le poids du colis ?",
            "Votre site accepte-t-il Apple Pay ?", "Comment activer la double authentification ?",
            "Organisez-vous des ateliers pour enfants ?", "Le musée est-il accessible en fauteuil ?",
            "Puis-je louer une trottinette ?", "La garantie couvre-t-elle la casse ?",
            "Quels vins recommandez-vous avec le poisson ?", "Le forfait inclut-il les appels à l'étranger ?",
            "Peut-on venir avec un chien ?", "Avez-vous un programme de parrainage ?",
            "¿Aceptan pagos con Bizum?", "¿La aplicación funciona sin conexión?", "¿Quién fabrica sus zapatillas?",
            "¿Ofrecen envoltorio de regalo?", "¿Cuánto dura la garantía del portátil?",
            "¿Puedo hablar con un agente humano?", "¿Las pilas vienen incluidas?", "¿Dónde fabrican los muebles?",
            "¿Hay aparcamiento en la tienda?", "¿El producto contiene lactosa?", "¿Puedo pagar a plazos?",
            "¿Recogen electrodomésticos viejos?", "¿La chaqueta abriga mucho?", "¿Cuánto dura la prueba gratuita?",
            "¿Puedo cancelar una reserva de hotel?", "¿Cuánto pesa la maleta grande?", "¿Aceptan Apple Pay?",
            "¿Cómo activo la verificación en dos pasos?", "¿Hacen talleres para niños?",
            "¿El museo es accesible en silla de ruedas?", "¿Puedo alquilar una bicicleta eléctrica?",
            "¿Qué vino recomiendan con carne?", "¿La tarifa incluye llamadas internacionales?",
            "¿Se admiten perros en el local?", "¿Tienen programa de referidos?", "What time does the sale start?",
            "Is the camera compatible with Mac?", "Can I return a gift without a receipt?",
            "How do I unsubscribe from the newsletter?", "Do you have stores in Italy?",
            "¿Cuál es el teléfono de soporte técnico?", "Quel est le numéro du service technique ?",
            "Can I freeze my membership?", "Is breakfast included in the room?", "Does the printer scan to email?",
            "¿Venden tarjetas regalo?", "Vendez-vous des cartes cadeaux ?", "Do you sell gift cards?",
            "How loud is the dishwasher?", "What is the screen resolution?", "Can kids use the app?",
    };

    private static final String[] PREFIXES_EN = {"Hi, ", "Hello! ", "Quick question: "};
    private static final String[] PREFIXES_FR = {"Bonjour, ", "Salut ! ", "Question : "};
    private static final String[] PREFIXES_ES = {"Hola, ", "Buenas, ", "Pregunta: "};

    /** A labelled question of the corpus; unrelated questions have intents of their own. */
    record Asked(String question, int intent) {
    }

    static List<Asked> corpus(long seed) {
        Random random = new Random(seed);
        List<Asked> asked = new ArrayList<>();
        for (int intent = 0; intent < INTENTS.length; intent++) {
            String base = INTENTS[intent][0];
            String paraphrase = INTENTS[intent][1];
            String[] prefixes = intent < 10 ? PREFIXES_EN : intent < 20 ? PREFIXES_FR : PREFIXES_ES;
            List<String> wordings = List.of(
                    base,
                    paraphrase,
                    base.toUpperCase(Locale.ROOT),
                    typo(base, random),
                    typo(typo(paraphrase, random), random),
                    "  " + base.toLowerCase(Locale.ROOT).replace("?", "") + " ??!!",
                    prefixes[random.nextInt(prefixes.length)] + paraphrase.toLowerCase(Locale.ROOT),
                    base.replace("?", "") + " (order 48213) [EMAIL]",
                    stripAccents(paraphrase) + "?",
                    typo(base, random).replace(" ", "  ") + " [PHONE]");
            for (String wording : wordings) {
                asked.add(new Asked(wording, intent));
            }
        }
        for (int u = 0; u < UNRELATED.length; u++) {
            asked.add(new Asked(UNRELATED[u], INTENTS.length + u));
        }
        Collections.shuffle(asked, random);
        return asked;
    }

    /** One typing mistake: two neighbouring letters swapped, one dropped, or one doubled. */
    static String typo(String text, Random random) {
        for (int tries = 0; tries < 100; tries++) {
            int at = 1 + random.nextInt(text.length() - 2);
            if (!Character.isLetter(text.charAt(at)) || !Character.isLetter(text.charAt(at + 1))) {
                continue;
            }
            return switch (random.nextInt(3)) {
                case 0 -> text.substring(0, at) + text.charAt(at + 1) + text.charAt(at) + text.substring(at + 2);
                case 1 -> text.substring(0, at) + text.substring(at + 1);
                default -> text.substring(0, at) + text.charAt(at) + text.substring(at);
            };
        }
        return text;
    }

    static String stripAccents(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }

    /** The group of each asked question, through the normalisation and the grouping the insight uses. */
    static int[] grouped(List<Asked> asked) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> distinct = new ArrayList<>();
        int[] normalised = new int[asked.size()];
        for (int i = 0; i < asked.size(); i++) {
            String text = QuestionText.normalised(asked.get(i).question());
            normalised[i] = ids.computeIfAbsent(text, t -> {
                distinct.add(t);
                return distinct.size() - 1;
            });
        }
        int[] groups = QuestionGroups.of(distinct);
        int[] of = new int[asked.size()];
        for (int i = 0; i < asked.size(); i++) {
            of[i] = groups[normalised[i]];
        }
        return of;
    }

    @Test
    void paraphrasesTyposCaseAndPunctuationGroupWithPrecisionAndRecallAboveTheBar() {
        List<Asked> asked = corpus(18);
        int[] group = grouped(asked);

        long samePairs = 0;
        long groupedPairs = 0;
        long bothPairs = 0;
        for (int i = 0; i < asked.size(); i++) {
            for (int j = i + 1; j < asked.size(); j++) {
                boolean same = asked.get(i).intent() == asked.get(j).intent();
                boolean together = group[i] == group[j];
                samePairs += same ? 1 : 0;
                groupedPairs += together ? 1 : 0;
                bothPairs += same && together ? 1 : 0;
            }
        }
        double precision = groupedPairs == 0 ? 1 : (double) bothPairs / groupedPairs;
        double recall = (double) bothPairs / samePairs;
        System.out.printf(Locale.ROOT, "failing-questions grouping: %d questions (%d intents x 10 wordings, %d unrelated),"
                        + " %d pairs of one intent, %d pairs grouped: precision %.4f, recall %.4f%n", asked.size(),
                INTENTS.length, UNRELATED.length, samePairs, groupedPairs, precision, recall);

        assertThat(precision).isGreaterThanOrEqualTo(0.95);
        assertThat(recall).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void theGroupsAreTheSameWhateverOrderTheQuestionsComeIn() {
        List<Asked> asked = corpus(7);
        int[] first = grouped(asked);
        List<Asked> reversed = new ArrayList<>(asked);
        Collections.reverse(reversed);
        int[] second = grouped(reversed);
        int n = asked.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                assertThat(first[i] == first[j]).isEqualTo(second[n - 1 - i] == second[n - 1 - j]);
            }
        }
    }

    @Test
    void normalisingDropsCaseAccentsPunctuationDigitsAndRedactionTokens() {
        assertThat(QuestionText.normalised("  Où est  ma COMMANDE n°4521 ?? [EMAIL] "))
                .isEqualTo("ou est ma commande n");
        assertThat(QuestionText.normalised("[PHONE][CARD]!!")).isEmpty();
    }

    @Test
    void nearDuplicatesJoinAndUnrelatedQuestionsStayApart() {
        int[] groups = QuestionGroups.of(List.of("how do i reset my password", "how can i reset my password",
                "where is my order", "how can i reset my pasword please"));
        assertThat(groups[0]).isEqualTo(groups[1]).isEqualTo(groups[3]);
        assertThat(groups[2]).isNotEqualTo(groups[0]);
    }

    @Test
    void theGroupingMatchesComparingEveryPair() {
        List<Asked> asked = corpus(3);
        List<String> distinct = asked.stream().map(a -> QuestionText.normalised(a.question())).distinct().toList();
        int[] fast = QuestionGroups.of(distinct);
        Map<String, Integer> ids = new HashMap<>();
        int[][] sets = distinct.stream().map(text -> java.util.Arrays.stream(QuestionGroups.trigrams(text, ids))
                .sorted().toArray()).toArray(int[][]::new);
        int[] parent = new int[distinct.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < parent.length; i++) {
            for (int j = i + 1; j < parent.length; j++) {
                if (sets[i].length > 0 && sets[j].length > 0 && QuestionGroups.similar(sets[i], sets[j])) {
                    int a = root(parent, i);
                    int b = root(parent, j);
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
        }
        for (int i = 0; i < parent.length; i++) {
            assertThat(fast[i]).isEqualTo(root(parent, i));
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            i = parent[i];
        }
        return i;
    }
}
