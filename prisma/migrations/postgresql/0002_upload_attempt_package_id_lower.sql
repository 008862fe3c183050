-- Attempts are searched by package ID without regard to case, as NuGet treats IDs.
ALTER TABLE "UploadAttempt" ADD COLUMN "packageIdLower" TEXT;
UPDATE "UploadAttempt" SET "packageIdLower" = LOWER("packageId") WHERE "packageId" IS NOT NULL;
