-- Trusted publishing (issue 17): policies binding a CI workflow to packages, the OIDC tokens
-- already exchanged, single-use keys with the provenance they carry, and each version's provenance.
ALTER TABLE "ApiKey" ADD COLUMN "singleUse" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ApiKey" ADD COLUMN "usedAt" TIMESTAMP(3);
ALTER TABLE "ApiKey" ADD COLUMN "provenance" TEXT;
ALTER TABLE "PackageVersion" ADD COLUMN "provenance" TEXT;

CREATE TABLE "TrustedPublishingPolicy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "packagePattern" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "workflow" TEXT NOT NULL,
    "environment" TEXT,
    "repositoryId" TEXT,
    "repositoryOwnerId" TEXT,
    "firstUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrustedPublishingPolicy_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "TrustedPublishingPolicy_issuer_repository_idx" ON "TrustedPublishingPolicy"("issuer", "repository");
CREATE INDEX "TrustedPublishingPolicy_userId_idx" ON "TrustedPublishingPolicy"("userId");

CREATE TABLE "TrustedPublishingTokenUse" (
    "tokenKey" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
