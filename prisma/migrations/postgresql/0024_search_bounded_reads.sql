-- Search at 500,000 package IDs (issue 15, lib/search/search.ts): indexes that keep the reads of
-- a search bounded on PostgreSQL. Figures from EXPLAIN ANALYZE on the 500k benchmark catalogue
-- (BENCHMARKS.md); an OS-cached heap page costs about 2-5 µs there, an index tuple well under 1.
--
-- Walks in downloads order (the most downloaded matches of a common word or ID piece, the ID
-- candidates, an owner's packages) test the ID match, the variant and the flags on every
-- document they pass: with these columns in the index those tests need no heap page
-- (index-only; "json"'s 200 ID candidates walk 24,000 documents: 57 ms from the heap, 7 from
-- here). Same name and key as before, so schema.prisma's @@index still describes it.
DROP INDEX "SearchDocument_downloads_packageIdLower_idx";
CREATE INDEX "SearchDocument_downloads_packageIdLower_idx" ON "SearchDocument"("downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants", "trusted", "verified", "registrationId", "idTerms");

-- "Verified only" with words: the words' matches among verified documents (2% of them) alone,
-- rather than every match of a common word read to test the flag ("json" with the flags: the
-- 58,000 documents holding the word were read for 412: 137 ms, 1.6 with these).
CREATE INDEX "SearchDocument_terms_verified_idx" ON "SearchDocument" USING GIN ("terms") WHERE "verified";
CREATE INDEX "SearchDocument_idTerms_verified_idx" ON "SearchDocument" USING GIN ("idTerms") WHERE "verified";
CREATE INDEX "SearchDocument_packageIdLower_trgm_verified_idx" ON "SearchDocument" USING GIN ("packageIdLower" gin_trgm_ops) WHERE "verified";

-- owner: from the account to its packages' documents without a heap page of either table (an
-- account with 2,640 packages, counted to 1,001: 8.6 ms, 3.0 with these).
CREATE INDEX "PackageOwner_userId_registrationId_idx" ON "PackageOwner"("userId", "registrationId");
CREATE INDEX "SearchDocument_registrationId_variants_idx" ON "SearchDocument"("registrationId") INCLUDE ("variants", "id");
