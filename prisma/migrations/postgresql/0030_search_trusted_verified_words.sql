-- Search (issue 15): the words of the documents both signed with trusted signing and verified, for
-- a search with words and both filters ('json' + signed only + verified only, as the site's two
-- boxes ask). With the verified documents' indexes (0024) the count read 1,557 verified documents
-- holding "json" to find the 412 also trusted (and of the variant): 5.8 ms at 500k, 2.2 from these.
CREATE INDEX "SearchDocument_terms_verified_trusted_idx" ON "SearchDocument" USING gin ("terms")
    WHERE "verified" AND "trusted";
CREATE INDEX "SearchDocument_packageIdLower_trgm_verified_trusted_idx" ON "SearchDocument" USING gin ("packageIdLower" gin_trgm_ops)
    WHERE "verified" AND "trusted";
