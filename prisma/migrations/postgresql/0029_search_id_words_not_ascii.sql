-- Search (issue 15, lib/search/sql.ts idHoldingWordParts): the ID words of the IDs with a
-- character other than ASCII, the few whose words may hold a search word only once folded (NFKC:
-- "Ｊｓｏｎ" is json). The most downloaded IDs holding a word are found by walking the downloads
-- index testing only whether the ID holds it, which answers for every other ID, and by reading
-- these. The condition must stay written as in sql.ts (NOT_ASCII_ID) for the planner to use it.
CREATE INDEX "SearchDocument_idTerms_not_ascii_idx" ON "SearchDocument" USING gin ("idTerms")
    WHERE "packageIdLower" ~ '[^[:ascii:]]';
