-- Package pages are cached for anonymous readers (lib/http/page-cache.ts). Everything a page
-- shows lives in the tables below; any change to them raises GalleryRevision.value in the same
-- transaction, so a cached page can tell it is stale, whatever made the change.
CREATE TABLE "GalleryRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);
INSERT INTO "GalleryRevision" ("id", "value") VALUES (1, 0);
CREATE TRIGGER "PackageRegistration_insert_revision" AFTER INSERT ON "PackageRegistration" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageRegistration_update_revision" AFTER UPDATE ON "PackageRegistration" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageRegistration_delete_revision" AFTER DELETE ON "PackageRegistration" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageOwner_insert_revision" AFTER INSERT ON "PackageOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageOwner_update_revision" AFTER UPDATE ON "PackageOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageOwner_delete_revision" AFTER DELETE ON "PackageOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageVersion_insert_revision" AFTER INSERT ON "PackageVersion" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageVersion_update_revision" AFTER UPDATE ON "PackageVersion" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PackageVersion_delete_revision" AFTER DELETE ON "PackageVersion" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservation_insert_revision" AFTER INSERT ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservation_update_revision" AFTER UPDATE ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservation_delete_revision" AFTER DELETE ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservationOwner_insert_revision" AFTER INSERT ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservationOwner_update_revision" AFTER UPDATE ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "PrefixReservationOwner_delete_revision" AFTER DELETE ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Certificate_insert_revision" AFTER INSERT ON "Certificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Certificate_update_revision" AFTER UPDATE ON "Certificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Certificate_delete_revision" AFTER DELETE ON "Certificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RegisteredCertificate_insert_revision" AFTER INSERT ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RegisteredCertificate_update_revision" AFTER UPDATE ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RegisteredCertificate_delete_revision" AFTER DELETE ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "User_insert_revision" AFTER INSERT ON "User" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "User_update_revision" AFTER UPDATE ON "User" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "User_delete_revision" AFTER DELETE ON "User" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1; END;
