-- Packages whose search documents must be written anew: `npm run db:migrate` rewrites them after
-- the migrations (lib/search/search-index.ts: refreshMarkedPackages) and removes the marks. A
-- migration that changes what search documents show without the gallery's code (signing, proven
-- times, owners, versions) marks the packages it changed here, in its own transaction.
CREATE TABLE "SearchRefresh" (
    "registrationId" TEXT NOT NULL PRIMARY KEY,
    CONSTRAINT "SearchRefresh_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- 0012 moved proven signing times to the time of receipt after 0011 had indexed the packages. A
-- document's signing state depends on the proven time only when the signer's certificate is
-- marked compromised, so the indexed packages with such versions are refreshed.
INSERT INTO "SearchRefresh" ("registrationId")
SELECT DISTINCT v."registrationId"
FROM "PackageVersion" v JOIN "Certificate" c ON c."id" = v."signerCertificateId"
WHERE v."provenSigningTimeSource" = 'RECEIVED' AND c."compromisedAt" IS NOT NULL
  AND EXISTS (SELECT 1 FROM "SearchPackageStats" s WHERE s."registrationId" = v."registrationId");
