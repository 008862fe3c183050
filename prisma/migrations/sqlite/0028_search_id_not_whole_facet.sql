-- Search (issue 15, lib/search/sql.ts idContainsIds): the trigram rows of the IDs some of whose
-- characters are in no ID word (a character other than ASCII, or a run of 65 letters and digits, as
-- PostgreSQL's search_id_not_whole) also hold the facet "#nw". An ID piece with whole words inside
-- ("onq.Extensions.Absq") is read from the ID part pairs ("_extensions_absq"*), which such an ID may
-- lack where its part runs on past an ID word ("Lonq.Extensions.Absq" and 61 more letters); the
-- few IDs holding "#nw" are read beside them and tested whole. Their documents are written anew.
DROP TRIGGER "SearchDocument_insert_trigram";
CREATE TRIGGER "SearchDocument_insert_trigram" AFTER INSERT ON "SearchDocument" BEGIN
  INSERT INTO "SearchIdTrigram" (rowid, "packageIdLower", "facets")
  VALUES (NEW."id", NEW."packageIdLower", trim(
    CASE WHEN NEW."verified" THEN '#ve' ELSE '' END || ' ' ||
    CASE WHEN NEW."packageIdLower" GLOB '*[^ -~]*' OR NEW."packageIdLower" GLOB '*[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9]*' THEN '#nw' ELSE '' END));
END;
INSERT INTO "SearchRefresh" ("registrationId")
SELECT "registrationId" FROM "SearchDocument"
WHERE "packageIdLower" GLOB '*[^ -~]*' OR "packageIdLower" GLOB '*[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9]*'
ON CONFLICT ("registrationId") DO NOTHING;
