-- How each version's author signer compares with the version of the same package published just
-- before it (lib/packages/signer-continuity.ts decides it at publish). Existing versions are
-- compared here in publishing order, with the certificate registrations as they stand now.
ALTER TABLE "PackageVersion" ADD COLUMN "signerContinuity" TEXT NOT NULL DEFAULT 'FIRST';
ALTER TABLE "PackageVersion" ADD COLUMN "signerPreviousVersion" TEXT;

-- "Verify a copy" looks versions up by the hash of the file served, of the file the author
-- uploaded (before repository signing), or of their contents. (Before the update below: PostgreSQL refuses to index a table
-- with pending trigger events, and the gallery revision triggers are deferred to commit.)
CREATE INDEX "PackageVersion_sha512_idx" ON "PackageVersion"("sha512");
CREATE INDEX "PackageVersion_contentHash_idx" ON "PackageVersion"("contentHash");
CREATE INDEX "PackageVersion_uploadedSha512_idx" ON "PackageVersion"("uploadedSha512");

WITH "ordered" AS (
  SELECT "id",
         "signerCertificateId" AS "certificate",
         LAG("id") OVER "publishing" AS "previousId",
         LAG("version") OVER "publishing" AS "previousVersion",
         LAG("signerCertificateId") OVER "publishing" AS "previousCertificate"
  FROM "PackageVersion"
  WINDOW "publishing" AS (PARTITION BY "registrationId" ORDER BY "publishedAt", "id")
)
UPDATE "PackageVersion"
SET "signerPreviousVersion" = "ordered"."previousVersion",
    "signerContinuity" = CASE
      WHEN "ordered"."previousId" IS NULL THEN 'FIRST'
      WHEN "ordered"."certificate" IS NULL AND "ordered"."previousCertificate" IS NULL THEN 'UNCHANGED'
      WHEN "ordered"."certificate" = "ordered"."previousCertificate" THEN 'UNCHANGED'
      WHEN "ordered"."certificate" IS NULL THEN 'DROPPED'
      WHEN "ordered"."previousCertificate" IS NULL THEN 'ADDED'
      WHEN EXISTS (
        SELECT 1 FROM "RegisteredCertificate" "earlier"
        JOIN "RegisteredCertificate" "later" ON "later"."userId" = "earlier"."userId"
        WHERE "earlier"."certificateId" = "ordered"."previousCertificate" AND "later"."certificateId" = "ordered"."certificate"
      ) THEN 'NEW_CERTIFICATE'
      ELSE 'NEW_SIGNER'
    END
FROM "ordered"
WHERE "ordered"."id" = "PackageVersion"."id";
