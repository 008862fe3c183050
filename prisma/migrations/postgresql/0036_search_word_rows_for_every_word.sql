-- Search (issue 15, lib/search/sql.ts wordsMatch): SearchWordCount (0035) gets a row for every word
-- a document holds, at 0 for a word that only documents some variants leave out hold (their words
-- are not counted). A search word that the GIN index on "terms" would not read (a common one beside
-- a rarer word, word-frequencies.ts) then joins the index's read as the few words it starts, when
-- it starts few: GIN reads a prefix ("contoso:*") by collecting every document of every word it
-- starts before intersecting (15,000 documents at 100k, 3 ms), and a word by skipping through its
-- posting tree to the other words' documents. That needs every word a prefix stands for, so a word
-- left out would lose its documents: search-index.ts (refreshBatch) writes a row for each word a
-- package's new documents hold that its old ones did not. Rows are never deleted (see 0035).
INSERT INTO "SearchWordCount" ("word", "documents")
SELECT DISTINCT CAST(w AS TEXT) COLLATE "C", 0
FROM "SearchDocument" d CROSS JOIN LATERAL unnest(tsvector_to_array(d."terms")) AS w
WHERE d."variants" <> 63
ON CONFLICT ("word") DO NOTHING;
