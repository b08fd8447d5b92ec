package dev.parley.api;

import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryQuery;
import dev.parley.history.InvalidField;
import dev.parley.history.PageRequest;

/**
 * The history's filters from a request's query string: the history's own parser, its refusals
 * answered as {@code invalid_parameter} (a bad cursor is {@code invalid_cursor}, mapped where
 * every route's is).
 */
final class HistoryParameters {

    private HistoryParameters() {
    }

    static HistoryFilter filter(QueryParameters query, boolean sourceRequired) {
        try {
            return HistoryQuery.filter(query.asMap(), sourceRequired);
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
    }

    static int limit(QueryParameters query, int otherwise, int max) {
        try {
            return HistoryQuery.limit(query.asMap(), otherwise, max);
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
    }

    static PageRequest page(QueryParameters query) {
        try {
            return HistoryQuery.page(query.asMap());
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
    }
}
