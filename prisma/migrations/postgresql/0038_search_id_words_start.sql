-- Search (issue 15, lib/search/search.ts startingFirst): the IDs whose words start with a text's
-- words ("fabrikam extensions abs%"), in order, so that the IDs relevance ranks first (with those
-- starting with the text, migration 0026) are read as two short ranges and stop at a LIMIT, and a
-- page they fill needs no other candidate. text_pattern_ops: LIKE 'prefix%' needs the bytes' order,
-- whatever the database's collation.
CREATE INDEX "SearchDocument_idTokens_start_idx" ON "SearchDocument"("idTokens" text_pattern_ops) INCLUDE ("id");
