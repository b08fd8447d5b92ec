package dev.parley.history;

/** Which way a page goes from its cursor: {@code next} is older, {@code previous} is newer. */
public enum Direction {
    NEXT, PREVIOUS
}
