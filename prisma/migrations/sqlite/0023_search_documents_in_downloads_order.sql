-- The search index reads a filtered text search and "the most downloaded matches" inside FTS5
-- (lib/search/document-ids.ts, facets.ts): documents' ids now order them by downloads, and the
-- full-text rows gain a column of facets (signed, verified, owners, package types; the trigram
-- rows: signed and verified, as the three-character words "#tr" and "#ve" a trigram index holds
-- whole); and word starts of up to six letters get prefix indexes of their own, so a free word
-- ("json"*) streams one doclist instead of merging those of every word it starts. All of it needs
-- every document written anew, so the full-text tables start empty and every
-- indexed package is marked for `npm run db:migrate` to rewrite (refreshMarkedPackages), which
-- gives each document its new id.
DROP TABLE "SearchText";
CREATE VIRTUAL TABLE "SearchText" USING fts5("idTerms", "terms", "facets", content='', contentless_delete=1, prefix='1 2 3 4 5 6', tokenize='unicode61 remove_diacritics 2');
DROP TRIGGER "SearchDocument_insert_trigram";
DROP TABLE "SearchIdTrigram";
CREATE VIRTUAL TABLE "SearchIdTrigram" USING fts5("packageIdLower", "facets", content='', contentless_delete=1, tokenize='trigram');
CREATE TRIGGER "SearchDocument_insert_trigram" AFTER INSERT ON "SearchDocument" BEGIN
  INSERT INTO "SearchIdTrigram" (rowid, "packageIdLower", "facets")
  VALUES (NEW."id", NEW."packageIdLower", CASE WHEN NEW."trusted" THEN '#tr ' ELSE '' END || CASE WHEN NEW."verified" THEN '#ve' ELSE '' END);
END;
INSERT INTO "SearchRefresh" ("registrationId")
SELECT "registrationId" FROM "SearchPackageStats" WHERE true
ON CONFLICT ("registrationId") DO NOTHING;
