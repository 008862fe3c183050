-- Search (issue 15, lib/search/sql.ts tokenStart): the tokens of SQLite's full-text rows longer
-- than its longest prefix index (6 characters), but an ID's pairs ("_a_b"), listed. FTS5 reads a word start longer than that
-- by merging the doclists of every token it starts into one before it returns a row
-- ("extensions"*: 33 ms at 500k packages, where the token "extensions" alone streams in 0.06 ms),
-- so a search reads such a start as the few tokens it starts instead, as PostgreSQL reads
-- SearchWordCount. Tokens are added as documents are written (search-index.ts), through
-- SearchTermProbe, which tokenizes as SearchText does, and never removed: a token no document
-- holds any more only lengthens a query. Filled here from the full-text index itself.
CREATE TABLE "SearchTerm" ("token" TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE "SearchTermProbe" USING fts5("idTerms", "terms", "facets", content='', detail=none, tokenize="unicode61 remove_diacritics 2 tokenchars '_'");
CREATE VIRTUAL TABLE "SearchTermProbe_tokens" USING fts5vocab("SearchTermProbe", 'row');
CREATE VIRTUAL TABLE temp."SearchText_tokens" USING fts5vocab(main, "SearchText", 'row');
INSERT INTO "SearchTerm" ("token") SELECT "term" FROM temp."SearchText_tokens" WHERE length("term") > 6 AND NOT "term" GLOB '_*_*';
DROP TABLE temp."SearchText_tokens";
