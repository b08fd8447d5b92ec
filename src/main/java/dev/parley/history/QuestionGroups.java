package dev.parley.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups normalised questions (SPEC §11): two whose sets of character trigrams have a Jaccard
 * similarity of at least 0.5 are in one group, and groups are joined through any such pair
 * (single linkage). No pair is missed and no model is needed.
 *
 * <p>Comparing every pair would be quadratic. Instead each question's trigrams are ordered
 * rarest first, and only its shortest prefix that any similar question must share a trigram with
 * is indexed ("prefix filtering": with {@code |A ∩ B| ≥ 0.5·max(|A|, |B|)}, the first
 * {@code |A| − ⌈|A|/2⌉ + 1} rarest trigrams of each must meet). Questions are visited shortest
 * first, so a candidate found in the index is never more than twice as short (the size filter);
 * each candidate is then checked exactly, in integers. The result is a partition of the
 * questions, the same whatever order they came in.
 */
public final class QuestionGroups {

    private QuestionGroups() {
    }

    /**
     * The group of each question, as the index of one question of its group.
     *
     * @param questions distinct normalised questions
     */
    public static int[] of(List<String> questions) {
        int n = questions.size();
        Map<String, Integer> trigramIds = new HashMap<>();
        int[][] sets = new int[n][];
        for (int i = 0; i < n; i++) {
            sets[i] = trigrams(questions.get(i), trigramIds);
        }
        int[] frequency = new int[trigramIds.size()];
        for (int[] set : sets) {
            for (int trigram : set) {
                frequency[trigram]++;
            }
        }
        // rarest first, ties by id: one global order, so that prefixes of similar questions meet
        int[] rank = rarestFirst(frequency);
        for (int[] set : sets) {
            for (int k = 0; k < set.length; k++) {
                set[k] = rank[set[k]];
            }
            Arrays.sort(set);
        }
        Integer[] bySize = new Integer[n];
        for (int i = 0; i < n; i++) {
            bySize[i] = i;
        }
        Arrays.sort(bySize, Comparator.comparingInt((Integer i) -> sets[i].length).thenComparing(i -> i));
        UnionFind groups = new UnionFind(n);
        List<List<Integer>> index = new ArrayList<>(frequency.length);
        for (int k = 0; k < frequency.length; k++) {
            index.add(null);
        }
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        for (int i : bySize) {
            int[] set = sets[i];
            if (set.length == 0) {
                continue;
            }
            int prefix = set.length - (set.length + 1) / 2 + 1;
            for (int k = 0; k < prefix; k++) {
                List<Integer> holders = index.get(set[k]);
                if (holders == null) {
                    continue;
                }
                for (int j : holders) {
                    if (seen[j] == i) {
                        continue;
                    }
                    seen[j] = i;
                    // j is no longer than i; it must not be less than half as long
                    if (2 * sets[j].length >= set.length && similar(sets[j], set)) {
                        groups.union(i, j);
                    }
                }
            }
            for (int k = 0; k < prefix; k++) {
                List<Integer> holders = index.get(set[k]);
                if (holders == null) {
                    holders = new ArrayList<>(2);
                    index.set(set[k], holders);
                }
                holders.add(i);
            }
        }
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = groups.find(i);
        }
        return group;
    }

    /** Jaccard ≥ 0.5, in integers: {@code |A ∩ B| / |A ∪ B| ≥ 1/2} is {@code 3·|A ∩ B| ≥ |A| + |B|}. */
    static boolean similar(int[] a, int[] b) {
        int shared = 0;
        int x = 0;
        int y = 0;
        while (x < a.length && y < b.length) {
            if (a[x] == b[y]) {
                shared++;
                x++;
                y++;
            } else if (a[x] < b[y]) {
                x++;
            } else {
                y++;
            }
        }
        return 3 * shared >= a.length + b.length;
    }

    /** The distinct character trigrams of a text (a shorter text is its own one "trigram"), as ids. */
    static int[] trigrams(String text, Map<String, Integer> ids) {
        if (text.isEmpty()) {
            return new int[0];
        }
        int[] points = text.codePoints().toArray();
        List<String> grams = new ArrayList<>();
        if (points.length < 3) {
            grams.add(text);
        } else {
            for (int k = 0; k + 3 <= points.length; k++) {
                grams.add(new String(points, k, 3));
            }
        }
        return grams.stream().mapToInt(gram -> ids.computeIfAbsent(gram, g -> ids.size())).distinct().toArray();
    }

    /** The rank of each trigram id when ordered by frequency, rarest first, ties by id. */
    private static int[] rarestFirst(int[] frequency) {
        Integer[] order = new Integer[frequency.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer k) -> frequency[k]).thenComparing(k -> k));
        int[] rank = new int[frequency.length];
        for (int r = 0; r < order.length; r++) {
            rank[order[r]] = r;
        }
        return rank;
    }

    /** Disjoint sets, each named by its smallest member: the same names whatever the order of unions. */
    private static final class UnionFind {
        private final int[] parent;

        UnionFind(int n) {
            parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
        }

        int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        void union(int a, int b) {
            int x = find(a);
            int y = find(b);
            if (x < y) {
                parent[y] = x;
            } else if (y < x) {
                parent[x] = y;
            }
        }
    }
}
