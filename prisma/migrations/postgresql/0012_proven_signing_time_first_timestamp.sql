-- The proven signing time rests on the primary signature's first timestamp alone, as NuGet judges
-- a signature (lib/packages/proven-signing-time.ts): 0006 and the publishing code before this took
-- the first *valid* timestamp, so a version whose first timestamp is not valid but a later one is
-- carried the later one's time. Such a version is proven signed when the gallery received it (the
-- upload attempt's creation, else the publication, as 0006 reckons it). The stored report is the
-- served file's, the one clients judge.

-- Whether the primary signature's first timestamp in a stored report is valid; NULL when the
-- text is not such a report.
CREATE FUNCTION pg_temp."first_timestamp_valid"(report TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    parsed JSONB;
BEGIN
    parsed := report::JSONB;
    IF jsonb_typeof(parsed -> 'author') = 'object' THEN
        RETURN parsed #> '{author,timestamps,0,valid}' = 'true'::JSONB;
    ELSIF parsed #>> '{repository,placement}' = 'primary' THEN
        RETURN parsed #> '{repository,timestamps,0,valid}' = 'true'::JSONB;
    END IF;
    RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END;
$$;

UPDATE "PackageVersion" v
   SET "provenSigningTime" = COALESCE((SELECT a."createdAt" FROM "UploadAttempt" a WHERE a."packageVersionId" = v."id"), v."publishedAt"),
       "provenSigningTimeSource" = 'RECEIVED'
 WHERE v."provenSigningTimeSource" = 'TIMESTAMP'
   AND pg_temp."first_timestamp_valid"(v."signatureReport") IS NOT TRUE;

DROP FUNCTION pg_temp."first_timestamp_valid"(TEXT);
