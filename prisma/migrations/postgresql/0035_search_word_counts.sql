-- Search (issue 15, lib/search/sql.ts wordCountsShowMany): per word of the documents' "terms", how
-- many documents that every variant shows hold it. A one-word search without filters matches each
-- of them (its word is a prefix of theirs, and its one other condition is the variant, which they
-- all carry), so a word starting with the search's and held by more documents than the count's
-- limit shows the matches are many without counting them. Counting 1,001 matches of "json" at
-- 100k read about 13,000 documents, testing the word on each (10.6 ms): the ID words' count
-- (0032) finds only 956 there, and a word's documents come from its GIN index whole, never in an
-- order a count could stop in. Here it is one entry of an index: "json" is in 7,717 such documents.
-- Kept in step by search-index.ts (refreshBatch), which writes a package's documents anew and
-- adds what the new ones hold less what the old ones held, in one statement per batch, the words
-- in order, as it does for SearchCount: concurrent writers then lock the rows they share in the
-- same order (a trigger per document row would lock them in the order of the rows). A word whose
-- documents all went keeps its row at 0: deleting it could race with a writer adding it again.
-- "word" compares in the "C" collation, byte by byte, as a tsquery prefix matches lexemes and as
-- the index's range for LIKE 'prefix%' needs.
CREATE TABLE "SearchWordCount" (
    "word" TEXT COLLATE "C" NOT NULL,
    "documents" BIGINT NOT NULL
);

-- 63: every variant's bit (lib/search/variants.ts EVERY_VARIANT).
INSERT INTO "SearchWordCount" ("word", "documents")
SELECT CAST(w AS TEXT) COLLATE "C", COUNT(*)
FROM "SearchDocument" d CROSS JOIN LATERAL unnest(tsvector_to_array(d."terms")) AS w
WHERE d."variants" = 63
GROUP BY 1;

-- Built after the rows; the count is read from the index alone.
ALTER TABLE "SearchWordCount" ADD CONSTRAINT "SearchWordCount_pkey" PRIMARY KEY ("word") INCLUDE ("documents");
