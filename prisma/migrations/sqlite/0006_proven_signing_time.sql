-- One proven signing time per version (lib/packages/proven-signing-time.ts) replaces signedAt,
-- which fell back to the signer's own signing-time claim: the primary signature's first valid
-- timestamp, else when the gallery received the file (the upload attempt's creation, else the
-- publication). The signing-time attribute is never used: a thief can backdate it.
--
-- SQLite adds a NOT NULL column only with a default; '' is not a time, and the trigger below
-- refuses a version inserted without one, as PostgreSQL's NOT NULL does. Times are written in
-- the form Prisma writes them (ISO 8601 with "+00:00"), so they compare with Prisma's own.
ALTER TABLE "PackageVersion" ADD COLUMN "provenSigningTime" DATETIME NOT NULL DEFAULT '';
ALTER TABLE "PackageVersion" ADD COLUMN "provenSigningTimeSource" TEXT NOT NULL DEFAULT '';

WITH "primary" AS (
    SELECT v."id",
           CASE
               WHEN NOT json_valid(COALESCE(v."signatureReport", '')) THEN NULL
               WHEN json_type(v."signatureReport", '$.author') = 'object' THEN json_extract(v."signatureReport", '$.author.timestamps')
               WHEN json_extract(v."signatureReport", '$.repository.placement') = 'primary' THEN json_extract(v."signatureReport", '$.repository.timestamps')
           END AS "timestamps",
           COALESCE((SELECT a."createdAt" FROM "UploadAttempt" a WHERE a."packageVersionId" = v."id"), v."publishedAt") AS "receivedAt"
    FROM "PackageVersion" v
),
"derived" AS (
    SELECT p."id",
           (SELECT strftime('%Y-%m-%dT%H:%M:%f', json_extract(t."value", '$.time')) || '+00:00'
              FROM json_each(CASE WHEN json_type(p."timestamps") = 'array' THEN p."timestamps" ELSE '[]' END) t
             WHERE json_extract(t."value", '$.valid') = 1
             ORDER BY t."key"
             LIMIT 1) AS "timestampedAt",
           strftime('%Y-%m-%dT%H:%M:%f', p."receivedAt") || '+00:00' AS "receivedAt"
    FROM "primary" p
)
UPDATE "PackageVersion"
   SET "provenSigningTime" = COALESCE(d."timestampedAt", d."receivedAt"),
       "provenSigningTimeSource" = CASE WHEN d."timestampedAt" IS NULL THEN 'RECEIVED' ELSE 'TIMESTAMP' END
  FROM "derived" d
 WHERE d."id" = "PackageVersion"."id";

ALTER TABLE "PackageVersion" DROP COLUMN "signedAt";

CREATE TRIGGER "PackageVersion_proven_signing_time_required" BEFORE INSERT ON "PackageVersion"
WHEN NEW."provenSigningTime" = '' OR NEW."provenSigningTimeSource" = ''
BEGIN SELECT RAISE(ABORT, 'PackageVersion.provenSigningTime and provenSigningTimeSource are required'); END;
