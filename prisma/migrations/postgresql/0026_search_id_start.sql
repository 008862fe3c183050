-- Search (issue 15, lib/search/sql.ts idStartCondition): IDs starting with a text, in order and
-- with what the count of a search tests besides (the variant, the flags) and returns (the id), so
-- counting the first 1,001 IDs starting with "litw" reads that many index entries (0.4 ms at
-- 500k) rather than the trigrams of all 22,000 IDs holding it. text_pattern_ops: the database's
-- collation may not be C, and LIKE 'prefix%' needs the bytes' order.
CREATE INDEX "SearchDocument_packageIdLower_start_idx" ON "SearchDocument"("packageIdLower" text_pattern_ops)
    INCLUDE ("variants", "id", "trusted", "verified");
