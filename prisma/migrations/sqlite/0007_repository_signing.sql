-- The gallery repository-signs what it serves: the certificates it signs with, which one signed
-- each version (and when), and the SHA-512 of the file as uploaded, before the signature changed it.
CREATE TABLE "RepositorySigningCertificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sha256Fingerprint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "der" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "RepositorySigningCertificate_sha256Fingerprint_key" ON "RepositorySigningCertificate"("sha256Fingerprint");

ALTER TABLE "PackageVersion" ADD COLUMN "uploadedSha512" TEXT;
ALTER TABLE "PackageVersion" ADD COLUMN "repositoryCertificateId" TEXT REFERENCES "RepositorySigningCertificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PackageVersion" ADD COLUMN "repositorySignedAt" DATETIME;
CREATE INDEX "PackageVersion_repositoryCertificateId_idx" ON "PackageVersion"("repositoryCertificateId");
-- Versions published so far are served as they were uploaded.
UPDATE "PackageVersion" SET "uploadedSha512" = "sha512";
