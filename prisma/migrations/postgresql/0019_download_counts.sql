-- Download counts per version and per UTC day (lib/jobs/downloads.ts). A server adds up the
-- downloads it sends in memory and appends one DownloadEvent row per version and day every
-- second or so; the roll-up job moves them into the totals below. Events recorded before this
-- migration name only the package: they count for its total (SearchPackageStats) alone.
ALTER TABLE "DownloadEvent" ADD COLUMN "packageVersionId" TEXT;
ALTER TABLE "DownloadEvent" ADD COLUMN "day" TEXT;
ALTER TABLE "DownloadEvent" ADD COLUMN "count" INTEGER NOT NULL DEFAULT 1;

CREATE TABLE "VersionDownloadTotal" (
    "packageVersionId" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "downloads" BIGINT NOT NULL,
    CONSTRAINT "VersionDownloadTotal_pkey" PRIMARY KEY ("packageVersionId")
);
CREATE INDEX "VersionDownloadTotal_registrationId_idx" ON "VersionDownloadTotal"("registrationId");

CREATE TABLE "VersionDownloadDay" (
    "packageVersionId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "downloads" BIGINT NOT NULL,
    CONSTRAINT "VersionDownloadDay_pkey" PRIMARY KEY ("packageVersionId", "day")
);
CREATE INDEX "VersionDownloadDay_registrationId_day_idx" ON "VersionDownloadDay"("registrationId", "day");
