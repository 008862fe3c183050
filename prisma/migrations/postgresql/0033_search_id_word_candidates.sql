-- Search (issue 15, lib/search/search.ts mostDownloadedHolding): the most downloaded IDs holding a
-- one-word text of four characters or more, for ranking ("json"'s 200 ID candidates), read per ID
-- word holding it rather than by walking the downloads index testing every ID: an ID of ASCII
-- characters holds such a text exactly when one of its ID words does (its parts between
-- separators are ID words, and the text has no separator), so the candidates are each such
-- word's most downloaded IDs. The words holding the text come from SearchIdWordList's trigram
-- index. "json" at 500k: 22,800 entries walked, 5-6 ms; here one word's 240 entries, 0.7-0.9 ms.
-- SearchIdWord (0032) gains the columns that order the IDs, and is written anew with them (a
-- column added to 2.9 million rows would leave each row twice until a VACUUM FULL).
DROP TRIGGER "SearchDocument_id_words" ON "SearchDocument";
DROP FUNCTION "search_id_words_of_document"();
DROP TABLE "SearchIdWord";

-- As in 0032, plus "downloads" and "packageIdLower", the order of the candidates (the document's).
CREATE TABLE "SearchIdWord" (
    "word" TEXT COLLATE "C" NOT NULL,
    "id" BIGINT NOT NULL,
    "variants" INTEGER NOT NULL,
    "previous" TEXT COLLATE "C" NOT NULL,
    "downloads" BIGINT NOT NULL,
    "packageIdLower" TEXT NOT NULL
);

-- Every word SearchIdWord has held, for finding those holding a text. Words are only ever added:
-- a word whose last document went finds no candidates, and deleting it while another transaction
-- writes a document with it could lose it.
CREATE TABLE "SearchIdWordList" (
    "word" TEXT COLLATE "C" NOT NULL,
    CONSTRAINT "SearchIdWordList_pkey" PRIMARY KEY ("word")
);

-- A download roll-up updates "downloads" in place (search-index.ts setPackageDownloads): the
-- document's rows follow; any other change (a document is otherwise written anew) writes them anew.
CREATE FUNCTION "search_id_words_of_document"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW."id" = OLD."id" AND NEW."idTerms" = OLD."idTerms" AND NEW."variants" = OLD."variants"
        AND NEW."packageIdLower" = OLD."packageIdLower" THEN
        UPDATE "SearchIdWord" s SET "downloads" = NEW."downloads"
        WHERE s."word" = ANY (tsvector_to_array(NEW."idTerms")) AND s."id" = NEW."id";
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM "SearchIdWord" s
        WHERE s."word" = ANY (tsvector_to_array(OLD."idTerms")) AND s."id" = OLD."id";
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO "SearchIdWord" ("word", "id", "variants", "previous", "downloads", "packageIdLower")
        SELECT w."word", NEW."id", NEW."variants", COALESCE(lag(w."word") OVER (ORDER BY w."word"), ''), NEW."downloads", NEW."packageIdLower"
        FROM (SELECT CAST(word AS TEXT) COLLATE "C" AS "word" FROM unnest(tsvector_to_array(NEW."idTerms")) AS word) w
        WHERE length(w."word") >= 4;
        INSERT INTO "SearchIdWordList" ("word")
        SELECT CAST(word AS TEXT) FROM unnest(tsvector_to_array(NEW."idTerms")) AS word
        WHERE length(word) >= 4
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "SearchDocument_id_words" AFTER INSERT OR DELETE OR UPDATE OF "id", "idTerms", "variants", "downloads", "packageIdLower"
    ON "SearchDocument" FOR EACH ROW EXECUTE FUNCTION "search_id_words_of_document"();

INSERT INTO "SearchIdWord" ("word", "id", "variants", "previous", "downloads", "packageIdLower")
SELECT w."word", d."id", d."variants", COALESCE(lag(w."word") OVER (PARTITION BY d."id" ORDER BY w."word"), ''), d."downloads", d."packageIdLower"
FROM "SearchDocument" d
CROSS JOIN LATERAL (SELECT CAST(word AS TEXT) COLLATE "C" AS "word" FROM unnest(tsvector_to_array(d."idTerms")) AS word) w
WHERE length(w."word") >= 4;
INSERT INTO "SearchIdWordList" ("word") SELECT DISTINCT "word" FROM "SearchIdWord";

-- As in 0032: the count's index, through which the trigger also finds a document's rows.
ALTER TABLE "SearchIdWord" ADD CONSTRAINT "SearchIdWord_pkey" PRIMARY KEY ("word", "id") INCLUDE ("previous", "variants");
-- A word's IDs in downloads order, read index-only for the candidates.
CREATE INDEX "SearchIdWord_word_downloads_idx" ON "SearchIdWord" ("word", "downloads" DESC, "packageIdLower") INCLUDE ("id", "variants");
CREATE INDEX "SearchIdWordList_word_trgm_idx" ON "SearchIdWordList" USING gin ("word" gin_trgm_ops);

-- The IDs some of whose characters are in no ID word (sql.ts NOT_WHOLE_ID): with a character
-- other than ASCII, whose words may differ from the ID once folded (NFKC), or with a part longer
-- than an ID word may be (64). Few or none; the candidates among them are read in downloads order
-- from this index, each tested for holding the text.
CREATE INDEX "SearchDocument_downloads_not_whole_idx" ON "SearchDocument" ("downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants") WHERE "packageIdLower" ~ '[^[:ascii:]]|[[:alnum:]]{65}';
