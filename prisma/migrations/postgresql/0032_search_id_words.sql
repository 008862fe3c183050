-- Search (issue 15, lib/search/sql.ts idWordsCondition): one row per document and ID word of four
-- characters or more (its "idTerms"), for counting the documents whose ID words start with a
-- common word ("json" at 500k: 5,954 IDs) as a range of one index. Through the GIN index of
-- "idTerms", counting 1,001 of them read every one of the word's postings and then 1,200 rows of
-- the documents, to test the variant: 4.7 ms; here it reads about 1,200 index entries, 0.34 ms
-- (2.9 million rows, 330 MB at 500k). Shorter words are never counted this way (sql.ts
-- MIN_COUNTED_WORD_LENGTH), so they have no rows.
-- "id" is the document's id and "variants" its variants, named as SearchDocument's so that a
-- search's conditions on `d` read either table. A document is counted once for a prefix by its
-- first word in that prefix's range: "previous" is the document's word just before this one in
-- the same order ('' for its first), so that word is the first in the range when "previous" is
-- below the prefix. "word" and "previous" compare in the "C" collation, byte by byte, as a
-- tsquery prefix matches lexemes, and as the index's range for LIKE 'prefix%' needs.
-- Kept in step by the trigger below, in the transaction of whatever writes a document: a
-- document is written anew when its words or variants change (search-index.ts), and updated in
-- place only by a download roll-up, which changes nothing here.
CREATE TABLE "SearchIdWord" (
    "word" TEXT COLLATE "C" NOT NULL,
    "id" BIGINT NOT NULL,
    "variants" INTEGER NOT NULL,
    "previous" TEXT COLLATE "C" NOT NULL
);

CREATE FUNCTION "search_id_words_of_document"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM "SearchIdWord" s
        WHERE s."word" = ANY (tsvector_to_array(OLD."idTerms")) AND s."id" = OLD."id";
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO "SearchIdWord" ("word", "id", "variants", "previous")
        SELECT w."word", NEW."id", NEW."variants", COALESCE(lag(w."word") OVER (ORDER BY w."word"), '')
        FROM (SELECT CAST(word AS TEXT) COLLATE "C" AS "word" FROM unnest(tsvector_to_array(NEW."idTerms")) AS word) w
        WHERE length(w."word") >= 4;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "SearchDocument_id_words" AFTER INSERT OR DELETE OR UPDATE OF "id", "idTerms", "variants"
    ON "SearchDocument" FOR EACH ROW EXECUTE FUNCTION "search_id_words_of_document"();

INSERT INTO "SearchIdWord" ("word", "id", "variants", "previous")
SELECT w."word", d."id", d."variants", COALESCE(lag(w."word") OVER (PARTITION BY d."id" ORDER BY w."word"), '')
FROM "SearchDocument" d
CROSS JOIN LATERAL (SELECT CAST(word AS TEXT) COLLATE "C" AS "word" FROM unnest(tsvector_to_array(d."idTerms")) AS word) w
WHERE length(w."word") >= 4;
-- The count reads this index alone (index-only: VACUUM marks the pages, search-index.ts
-- compactSearchIndex); the trigger deletes a document's rows through it, by its words. Built after
-- the rows, it is a fifth smaller than one filled row by row.
ALTER TABLE "SearchIdWord" ADD CONSTRAINT "SearchIdWord_pkey" PRIMARY KEY ("word", "id") INCLUDE ("previous", "variants");
