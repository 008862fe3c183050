-- The gallery repository-signs what it serves: the certificates it signs with, which one signed
-- each version (and when), and the SHA-512 of the file as uploaded, before the signature changed it.
CREATE TABLE "RepositorySigningCertificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sha256Fingerprint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "der" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "RepositorySigningCertificate_sha256Fingerprint_key" ON "RepositorySigningCertificate"("sha256Fingerprint");

ALTER TABLE "PackageVersion" ADD COLUMN "uploadedSha512" TEXT;
ALTER TABLE "PackageVersion" ADD COLUMN "repositoryCertificateId" TEXT;
ALTER TABLE "PackageVersion" ADD COLUMN "repositorySignedAt" TIMESTAMP(3);
ALTER TABLE "PackageVersion" ADD CONSTRAINT "PackageVersion_repositoryCertificateId_fkey" FOREIGN KEY ("repositoryCertificateId") REFERENCES "RepositorySigningCertificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "PackageVersion_repositoryCertificateId_idx" ON "PackageVersion"("repositoryCertificateId");
-- Versions published so far are served as they were uploaded. Last: the update queues the
-- gallery revision's deferred triggers, after which PostgreSQL refuses to alter the table.
UPDATE "PackageVersion" SET "uploadedSha512" = "sha512";
