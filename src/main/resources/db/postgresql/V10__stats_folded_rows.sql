-- The folded rows of the stats rollup by their whole key (issue 20): a fold looks up the folded
-- row of each key its deltas touch, and after a bulk load the keys' ranges in the readers' index
-- hold millions of deltas beside the one folded row; this index holds only the folded rows.
CREATE INDEX stats_rollup_folded ON stats_rollup (workspace_id, day, source, escalation, category)
    WHERE compacted;
CREATE INDEX stats_category_pairs_folded ON stats_category_pairs (workspace_id, day, source, escalation, category,
    co_category) WHERE compacted;
