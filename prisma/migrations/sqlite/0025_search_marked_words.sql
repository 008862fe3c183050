-- SQLite's full-text rows write an ID's words as "_word" and facets as "__word"
-- (lib/search/words.ts idWordToken, facets.ts), so no query needs a column filter, which reads
-- every occurrence of a word to test its column ("http" is in half the descriptions, in a tenth of
-- the IDs); the tokenizer keeps underscores inside words for it. "Signed only" is no longer a
-- facet (a third of the documents pass it: intersecting its doclist cost more than it saved), so
-- the trigram rows hold only "#ve". Every document is written anew.
DROP TABLE "SearchText";
CREATE VIRTUAL TABLE "SearchText" USING fts5("idTerms", "terms", "facets", content='', contentless_delete=1, prefix='1 2 3 4 5 6', tokenize="unicode61 remove_diacritics 2 tokenchars '_'");
DROP TRIGGER "SearchDocument_insert_trigram";
DROP TABLE "SearchIdTrigram";
CREATE VIRTUAL TABLE "SearchIdTrigram" USING fts5("packageIdLower", "facets", content='', contentless_delete=1, tokenize='trigram');
CREATE TRIGGER "SearchDocument_insert_trigram" AFTER INSERT ON "SearchDocument" BEGIN
  INSERT INTO "SearchIdTrigram" (rowid, "packageIdLower", "facets")
  VALUES (NEW."id", NEW."packageIdLower", CASE WHEN NEW."verified" THEN '#ve' ELSE '' END);
END;
INSERT INTO "SearchRefresh" ("registrationId")
SELECT "registrationId" FROM "SearchPackageStats" WHERE true
ON CONFLICT ("registrationId") DO NOTHING;
