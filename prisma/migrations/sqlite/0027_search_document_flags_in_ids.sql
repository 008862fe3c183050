-- A search document's id now also carries its variants and whether its version's signing is
-- trusted, in its lowest bits (lib/search/document-ids.ts), so a search tests them on the rowid
-- FTS5 gives instead of reading each match's document. Every document is written anew with such
-- an id by `npm run db:migrate` (lib/search/search-index.ts refreshMarkedPackages).
INSERT INTO "SearchRefresh" ("registrationId")
SELECT "registrationId" FROM "SearchPackageStats" WHERE true
ON CONFLICT ("registrationId") DO NOTHING;
