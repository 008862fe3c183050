-- Search (issue 15, lib/search/sql.ts NOT_WHOLE_ID): 0033's partial index of the IDs some of whose
-- characters are in no ID word, with its condition behind a function. The planner estimates how
-- many rows a regular expression keeps by running it over the column's statistics (about 200
-- IDs), and this one, with its run of 65 characters, took 1.7 ms of the planning of every one-word
-- search's page (its whole planning is about 2 ms); a function it cannot see into (PL/pgSQL is
-- never inlined) is estimated at a fixed share, 0.06 ms. In an ID of ASCII characters, in lower
-- case, a part longer than an ID word may be (64) is a run of 65 letters and digits.
CREATE FUNCTION "search_id_not_whole"("idLower" TEXT) RETURNS BOOLEAN LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN "idLower" ~ '[^[:ascii:]]|[a-z0-9]{65}';
END;
$$;
DROP INDEX "SearchDocument_downloads_not_whole_idx";
CREATE INDEX "SearchDocument_downloads_not_whole_idx" ON "SearchDocument" ("downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants") WHERE "search_id_not_whole"("packageIdLower");
