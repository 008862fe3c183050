-- Search (issue 15, lib/search/sql.ts idContains): an index of whether an ID has characters in no
-- ID word (0034's search_id_not_whole), for its statistics and its lookup. An ID holding an ID
-- piece with whole words inside ("Fabrikam.Extensions.Abs…") has an ID word starting with the
-- piece's last part unless that part runs on past 64 characters (lib/search/words.ts), so the piece
-- is read as `extensions & abs:*` from the ID words' index, or as such an ID. The function call is
-- estimated at a third of the documents, which turns a statement holding it into a scan; written
-- `IS TRUE`, it is estimated from the statistics ANALYZE keeps for an index's expression, and read
-- from this index. An index, not a stored column: adding one rewrites the table, which leaves every
-- walk of the covering downloads index (0027) fetching rows until a VACUUM.
CREATE INDEX "SearchDocument_id_not_whole_idx" ON "SearchDocument" (("search_id_not_whole"("packageIdLower")));

ANALYZE "SearchDocument";
