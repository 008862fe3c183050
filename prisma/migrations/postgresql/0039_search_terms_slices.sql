-- Search (issue 15, lib/search/sql.ts termsSlices): the words of the documents in eight slices
-- ("id" % 8), each in a GIN index of its own, so that a count of common words' matches to a limit
-- reads the slices one after another and stops at the limit, where one index returns every match
-- of the words before the first ("fabrikam & (abstractions | absq)" at 500k: 14,645 documents for
-- a count of 1,001; the first slice holds 1,791). Each statement writes the slice as a literal,
-- which the planner needs to choose a partial index.
CREATE INDEX "SearchDocument_terms_slice0_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 0;
CREATE INDEX "SearchDocument_terms_slice1_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 1;
CREATE INDEX "SearchDocument_terms_slice2_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 2;
CREATE INDEX "SearchDocument_terms_slice3_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 3;
CREATE INDEX "SearchDocument_terms_slice4_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 4;
CREATE INDEX "SearchDocument_terms_slice5_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 5;
CREATE INDEX "SearchDocument_terms_slice6_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 6;
CREATE INDEX "SearchDocument_terms_slice7_idx" ON "SearchDocument" USING GIN ("terms") WHERE ("id" % 8) = 7;
