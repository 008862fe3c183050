-- One proven signing time per version (lib/packages/proven-signing-time.ts) replaces signedAt,
-- which fell back to the signer's own signing-time claim: the primary signature's first valid
-- timestamp, else when the gallery received the file (the upload attempt's creation, else the
-- publication). The signing-time attribute is never used: a thief can backdate it.
CREATE TYPE "SigningTimeSource" AS ENUM ('TIMESTAMP', 'RECEIVED');
ALTER TABLE "PackageVersion"
    ADD COLUMN "provenSigningTime" TIMESTAMP(3),
    ADD COLUMN "provenSigningTimeSource" "SigningTimeSource",
    DROP COLUMN "signedAt";

-- The time of the primary signature's first valid timestamp in a stored report; NULL when it
-- has none, or when the stored text is not the JSON or the time it should be.
CREATE FUNCTION pg_temp."first_valid_timestamp"(report TEXT) RETURNS TIMESTAMP(3) LANGUAGE plpgsql AS $$
DECLARE
    parsed JSONB;
    "primary" JSONB;
BEGIN
    parsed := report::JSONB;
    IF jsonb_typeof(parsed -> 'author') = 'object' THEN
        "primary" := parsed -> 'author';
    ELSIF parsed #>> '{repository,placement}' = 'primary' THEN
        "primary" := parsed -> 'repository';
    ELSE
        RETURN NULL;
    END IF;
    IF jsonb_typeof("primary" -> 'timestamps') IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT ((t.value ->> 'time')::TIMESTAMPTZ AT TIME ZONE 'UTC')::TIMESTAMP(3)
              FROM jsonb_array_elements("primary" -> 'timestamps') WITH ORDINALITY AS t(value, position)
             WHERE t.value -> 'valid' = 'true'::JSONB
             ORDER BY t.position
             LIMIT 1);
EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR datetime_field_overflow THEN
    RETURN NULL;
END;
$$;

-- The gallery revision trigger is deferred to commit; raise it now, so the table has no pending
-- trigger events when it is altered below.
SET CONSTRAINTS "PackageVersion_revision" IMMEDIATE;

WITH "derived" AS (
    SELECT v."id",
           pg_temp."first_valid_timestamp"(v."signatureReport") AS "timestampedAt",
           COALESCE((SELECT a."createdAt" FROM "UploadAttempt" a WHERE a."packageVersionId" = v."id"), v."publishedAt") AS "receivedAt"
    FROM "PackageVersion" v
)
UPDATE "PackageVersion" v
   SET "provenSigningTime" = COALESCE(d."timestampedAt", d."receivedAt"),
       "provenSigningTimeSource" = CASE WHEN d."timestampedAt" IS NULL THEN 'RECEIVED'::"SigningTimeSource" ELSE 'TIMESTAMP'::"SigningTimeSource" END
  FROM "derived" d
 WHERE d."id" = v."id";

SET CONSTRAINTS "PackageVersion_revision" DEFERRED;

ALTER TABLE "PackageVersion"
    ALTER COLUMN "provenSigningTime" SET NOT NULL,
    ALTER COLUMN "provenSigningTimeSource" SET NOT NULL;

DROP FUNCTION pg_temp."first_valid_timestamp"(TEXT);
