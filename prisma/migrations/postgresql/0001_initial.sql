-- Signet's initial schema for PostgreSQL (hand-written: the Prisma schema engine is not
-- available offline). Keep in step with schema.prisma; test/db/schema-in-step.test.ts fails
-- when a model or field has no table or column.

CREATE TYPE "UserRole" AS ENUM ('USER', 'ADMIN');
CREATE TYPE "SignatureStatus" AS ENUM ('UNSIGNED', 'VALID', 'INVALID');
CREATE TYPE "UploadStatus" AS ENUM ('PREVIEW', 'ACCEPTED', 'REJECTED', 'APPROVED', 'DELETED');
CREATE TYPE "UploadSource" AS ENUM ('WEB', 'API');
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "passwordHash" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'USER',
    "lockedAt" TIMESTAMP(3),
    "lockedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

CREATE TABLE "OAuthAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OAuthAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "OAuthAccount_provider_providerAccountId_key" ON "OAuthAccount"("provider", "providerAccountId");
CREATE INDEX "OAuthAccount_userId_idx" ON "OAuthAccount"("userId");

CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyPrefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "packageGlob" TEXT NOT NULL DEFAULT '*',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");
CREATE INDEX "ApiKey_userId_idx" ON "ApiKey"("userId");

CREATE TABLE "Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sha256Fingerprint" TEXT NOT NULL,
    "sha1Fingerprint" TEXT,
    "subject" TEXT,
    "issuer" TEXT,
    "serialNumber" TEXT,
    "notBefore" TIMESTAMP(3),
    "notAfter" TIMESTAMP(3),
    "der" BYTEA,
    "compromisedAt" TIMESTAMP(3),
    "compromisedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "Certificate_sha256Fingerprint_key" ON "Certificate"("sha256Fingerprint");

CREATE TABLE "RegisteredCertificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "certificateId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RegisteredCertificate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RegisteredCertificate_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "RegisteredCertificate_userId_certificateId_key" ON "RegisteredCertificate"("userId", "certificateId");
CREATE INDEX "RegisteredCertificate_certificateId_idx" ON "RegisteredCertificate"("certificateId");

CREATE TABLE "PackageRegistration" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "packageId" TEXT NOT NULL,
    "packageIdLower" TEXT NOT NULL,
    "requiredSignerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PackageRegistration_requiredSignerId_fkey" FOREIGN KEY ("requiredSignerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "PackageRegistration_packageIdLower_key" ON "PackageRegistration"("packageIdLower");

CREATE TABLE "PackageOwner" (
    "registrationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("registrationId", "userId"),
    CONSTRAINT "PackageOwner_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PackageOwner_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "PackageOwner_userId_idx" ON "PackageOwner"("userId");

CREATE TABLE "PackageVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registrationId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "versionLower" TEXT NOT NULL,
    "originalVersion" TEXT NOT NULL,
    "isPrerelease" BOOLEAN NOT NULL,
    "isSemVer2" BOOLEAN NOT NULL,
    "listed" BOOLEAN NOT NULL DEFAULT true,
    "title" TEXT,
    "description" TEXT NOT NULL,
    "summary" TEXT,
    "authors" TEXT NOT NULL,
    "owners" TEXT,
    "tags" TEXT,
    "licenseExpression" TEXT,
    "licenseUrl" TEXT,
    "projectUrl" TEXT,
    "iconUrl" TEXT,
    "releaseNotes" TEXT,
    "copyright" TEXT,
    "requireLicenseAcceptance" BOOLEAN NOT NULL DEFAULT false,
    "minClientVersion" TEXT,
    "readme" TEXT,
    "dependencyGroups" TEXT NOT NULL DEFAULT '[]',
    "nuspecXml" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "packageSize" INTEGER NOT NULL,
    "sha512" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signatureStatus" "SignatureStatus" NOT NULL,
    "signatureReport" TEXT,
    "signerCertificateId" TEXT,
    "signedAt" TIMESTAMP(3),
    "publisherId" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PackageVersion_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PackageVersion_signerCertificateId_fkey" FOREIGN KEY ("signerCertificateId") REFERENCES "Certificate" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "PackageVersion_publisherId_fkey" FOREIGN KEY ("publisherId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "PackageVersion_registrationId_versionLower_key" ON "PackageVersion"("registrationId", "versionLower");
CREATE INDEX "PackageVersion_signerCertificateId_idx" ON "PackageVersion"("signerCertificateId");
CREATE INDEX "PackageVersion_publishedAt_idx" ON "PackageVersion"("publishedAt");

CREATE TABLE "PrefixReservation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pattern" TEXT NOT NULL,
    "patternLower" TEXT NOT NULL,
    "isPrefix" BOOLEAN NOT NULL DEFAULT true,
    "isPublic" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "PrefixReservation_patternLower_key" ON "PrefixReservation"("patternLower");

CREATE TABLE "PrefixReservationOwner" (
    "reservationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("reservationId", "userId"),
    CONSTRAINT "PrefixReservationOwner_reservationId_fkey" FOREIGN KEY ("reservationId") REFERENCES "PrefixReservation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PrefixReservationOwner_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "PrefixReservationOwner_userId_idx" ON "PrefixReservationOwner"("userId");

CREATE TABLE "UploadAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "uploaderId" TEXT NOT NULL,
    "source" "UploadSource" NOT NULL,
    "status" "UploadStatus" NOT NULL,
    "packageId" TEXT,
    "version" TEXT,
    "fileSize" INTEGER NOT NULL,
    "sha512" TEXT,
    "storageKey" TEXT,
    "issues" TEXT NOT NULL DEFAULT '[]',
    "signatureReport" TEXT,
    "nuspecXml" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "reviewerId" TEXT,
    "reviewReason" TEXT,
    "packageVersionId" TEXT,
    CONSTRAINT "UploadAttempt_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UploadAttempt_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "UploadAttempt_packageVersionId_fkey" FOREIGN KEY ("packageVersionId") REFERENCES "PackageVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "UploadAttempt_packageVersionId_key" ON "UploadAttempt"("packageVersionId");
CREATE INDEX "UploadAttempt_uploaderId_idx" ON "UploadAttempt"("uploaderId");
CREATE INDEX "UploadAttempt_status_createdAt_idx" ON "UploadAttempt"("status", "createdAt");

CREATE TABLE "AuditLogEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "reason" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLogEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "AuditLogEntry_createdAt_idx" ON "AuditLogEntry"("createdAt");
