-- Search (issue 15, lib/search/sql.ts idHoldingWordParts): the downloads order with only the id
-- and the variants beside it, for the walks that test nothing else of a document but its ID
-- (the most downloaded IDs holding a word, autocomplete's IDs holding a piece). Each entry is
-- about a sixth of the covering index's (0027, which holds the ID words and package types), and
-- the 22,800 entries walked for "json"'s 200 ID candidates at 500k took 4.2-4.7 ms here against
-- 5.9-6.8 there (50 MB at 500k). The planner takes whichever index holds what a walk reads.
CREATE INDEX "SearchDocument_downloads_packageIdLower_narrow_idx" ON "SearchDocument" ("downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants");
