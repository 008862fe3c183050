-- Trusted publishing policies show when each was last used (issue 17).
ALTER TABLE "TrustedPublishingPolicy" ADD COLUMN "lastUsedAt" DATETIME;
