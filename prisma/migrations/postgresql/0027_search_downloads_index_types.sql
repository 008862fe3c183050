-- Search (issue 15, lib/search/search.ts): the downloads walk also tests a package type filter
-- without reading a document. "packageTypes" (the shown version's types, lower-case, each with a
-- space on either side) joins the columns the walk reads from the index, so a page of the 2% of
-- documents that are DotnetTool walks 1,800 index entries (0.5 ms at 500k) rather than 1,800
-- documents each looked up in SearchDocumentType (4.7 ms). Same name and key as before, so
-- schema.prisma's @@index still describes it.
DROP INDEX "SearchDocument_downloads_packageIdLower_idx";
CREATE INDEX "SearchDocument_downloads_packageIdLower_idx" ON "SearchDocument"("downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants", "trusted", "verified", "registrationId", "idTerms", "packageTypes");
