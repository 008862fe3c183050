-- The proven signing time rests on the primary signature's first timestamp alone, as NuGet judges
-- a signature (lib/packages/proven-signing-time.ts): 0006 and the publishing code before this took
-- the first *valid* timestamp, so a version whose first timestamp is not valid but a later one is
-- carried the later one's time. Such a version is proven signed when the gallery received it (the
-- upload attempt's creation, else the publication, as 0006 reckons it). The stored report is the
-- served file's, the one clients judge.
WITH "primary" AS (
    SELECT v."id",
           CASE
               WHEN NOT json_valid(COALESCE(v."signatureReport", '')) THEN NULL
               WHEN json_type(v."signatureReport", '$.author') = 'object' THEN json_extract(v."signatureReport", '$.author.timestamps[0].valid')
               WHEN json_extract(v."signatureReport", '$.repository.placement') = 'primary' THEN json_extract(v."signatureReport", '$.repository.timestamps[0].valid')
           END AS "firstTimestampValid",
           COALESCE((SELECT a."createdAt" FROM "UploadAttempt" a WHERE a."packageVersionId" = v."id"), v."publishedAt") AS "receivedAt"
    FROM "PackageVersion" v
    WHERE v."provenSigningTimeSource" = 'TIMESTAMP'
)
UPDATE "PackageVersion"
   SET "provenSigningTime" = strftime('%Y-%m-%dT%H:%M:%f', p."receivedAt") || '+00:00',
       "provenSigningTimeSource" = 'RECEIVED'
  FROM "primary" p
 WHERE p."id" = "PackageVersion"."id"
   AND p."firstTimestampValid" IS NOT 1;
