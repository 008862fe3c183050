-- Co-owner invitations and version deprecation (issue 16).
CREATE TABLE "PackageOwnerInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registrationId" TEXT NOT NULL,
    "inviteeId" TEXT NOT NULL,
    "inviterId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PackageOwnerInvitation_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PackageOwnerInvitation_inviteeId_fkey" FOREIGN KEY ("inviteeId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PackageOwnerInvitation_inviterId_fkey" FOREIGN KEY ("inviterId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "PackageOwnerInvitation_registrationId_inviteeId_key" ON "PackageOwnerInvitation"("registrationId", "inviteeId");
CREATE INDEX "PackageOwnerInvitation_inviteeId_idx" ON "PackageOwnerInvitation"("inviteeId");

CREATE TABLE "PackageDeprecation" (
    "versionId" TEXT NOT NULL PRIMARY KEY,
    "reasons" TEXT NOT NULL,
    "message" TEXT,
    "alternatePackageId" TEXT,
    "alternateRange" TEXT,
    "deprecatedById" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PackageDeprecation_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PackageVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PackageDeprecation_deprecatedById_fkey" FOREIGN KEY ("deprecatedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Package pages and feed documents show deprecations: a change raises the gallery revision like
-- the tables of 0003, and the version's package revision (0011) that its pages' stamp reads.
CREATE TRIGGER "PackageDeprecation_insert_revision" AFTER INSERT ON "PackageDeprecation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageDeprecation_update_revision" AFTER UPDATE ON "PackageDeprecation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageDeprecation_delete_revision" AFTER DELETE ON "PackageDeprecation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageDeprecation_insert_registration_revision" AFTER INSERT ON "PackageDeprecation" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = (SELECT "registrationId" FROM "PackageVersion" WHERE "id" = NEW."versionId"); END;
CREATE TRIGGER "PackageDeprecation_update_registration_revision" AFTER UPDATE ON "PackageDeprecation" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" IN (SELECT "registrationId" FROM "PackageVersion" WHERE "id" IN (OLD."versionId", NEW."versionId")); END;
CREATE TRIGGER "PackageDeprecation_delete_registration_revision" AFTER DELETE ON "PackageDeprecation" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = (SELECT "registrationId" FROM "PackageVersion" WHERE "id" = OLD."versionId"); END;
