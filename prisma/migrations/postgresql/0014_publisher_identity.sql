-- Publisher identity beyond fingerprints (issue 17): proof of possession for registered
-- certificates, durable signer identities for short-lived certificates, what the gallery learnt
-- when it first saw a certificate, whose registration let each version's signer through, and
-- an outbox of email-worthy events.
CREATE TYPE "PossessionProof" AS ENUM ('CHALLENGE', 'FIRST_PUSH');
CREATE TYPE "SignerIdentityKind" AS ENUM ('ISSUER_SUBJECT', 'TRUSTED_SIGNING_EKU');
ALTER TABLE "RegisteredCertificate" ADD COLUMN "provenAt" TIMESTAMP(3), ADD COLUMN "provenBy" "PossessionProof";
ALTER TABLE "Certificate" ADD COLUMN "firstSeenAt" TIMESTAMP(3), ADD COLUMN "firstSeenIssues" TEXT;
ALTER TABLE "PackageVersion" ADD COLUMN "signerAuthorization" TEXT;

-- Registrations whose owner already published a version signed with the certificate proved it
-- by that push; the others are asked for a proof.
UPDATE "RegisteredCertificate" SET "provenBy" = 'FIRST_PUSH', "provenAt" = CURRENT_TIMESTAMP
WHERE EXISTS (
    SELECT 1 FROM "PackageVersion" AS "v"
    WHERE "v"."signerCertificateId" = "RegisteredCertificate"."certificateId" AND "v"."publisherId" = "RegisteredCertificate"."userId"
);
-- Certificates that signed published versions have been seen.
UPDATE "Certificate" SET "firstSeenAt" = (SELECT MIN("v"."publishedAt") FROM "PackageVersion" AS "v" WHERE "v"."signerCertificateId" = "Certificate"."id")
WHERE EXISTS (SELECT 1 FROM "PackageVersion" AS "v" WHERE "v"."signerCertificateId" = "Certificate"."id");

CREATE TABLE "SignerIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" "SignerIdentityKind" NOT NULL,
    "caFingerprint" TEXT NOT NULL,
    "subjectFields" TEXT NOT NULL DEFAULT '[]',
    "identityOid" TEXT,
    "matchKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provenAt" TIMESTAMP(3),
    "provenBy" "PossessionProof",
    CONSTRAINT "SignerIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "SignerIdentity_userId_matchKey_key" ON "SignerIdentity"("userId", "matchKey");
CREATE INDEX "SignerIdentity_matchKey_idx" ON "SignerIdentity"("matchKey");

CREATE TABLE "SignerIdentityCertificate" (
    "identityId" TEXT NOT NULL,
    "certificateId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("identityId", "certificateId"),
    CONSTRAINT "SignerIdentityCertificate_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "SignerIdentity" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SignerIdentityCertificate_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SignerIdentityCertificate_certificateId_idx" ON "SignerIdentityCertificate"("certificateId");

CREATE TABLE "PossessionChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "registrationId" TEXT,
    "identityId" TEXT,
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    CONSTRAINT "PossessionChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PossessionChallenge_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "RegisteredCertificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PossessionChallenge_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "SignerIdentity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "PossessionChallenge_userId_idx" ON "PossessionChallenge"("userId");

CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "sendError" TEXT,
    CONSTRAINT "OutboxMessage_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_userId_createdAt_idx" ON "OutboxMessage"("userId", "createdAt");
CREATE INDEX "OutboxMessage_sentAt_idx" ON "OutboxMessage"("sentAt");

-- Signer identities show on package pages (who may sign), so they move the gallery revision too.
CREATE CONSTRAINT TRIGGER "SignerIdentity_revision" AFTER INSERT OR UPDATE OR DELETE ON "SignerIdentity" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
