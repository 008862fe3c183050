-- Search index and per-package page revisions (issue 15).
--
-- A package page is cached by what it shows: its registration's revision, which the triggers
-- below raise in the same transaction as any change to the package's row, versions or owners,
-- and two gallery-wide facts in GalleryRevision: row 2, raised by what can change any number of
-- pages at once (reservations and their owners, certificate details and compromise marks,
-- registered certificates, usernames), and row 3, raised when a package ID appears or goes (a
-- page links the dependencies the gallery has). Row 1 keeps its meaning: any change at all.
ALTER TABLE "PackageRegistration" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER "PackageVersion_insert_registration_revision" AFTER INSERT ON "PackageVersion" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = NEW."registrationId"; END;
CREATE TRIGGER "PackageVersion_update_registration_revision" AFTER UPDATE ON "PackageVersion" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" IN (OLD."registrationId", NEW."registrationId"); END;
CREATE TRIGGER "PackageVersion_delete_registration_revision" AFTER DELETE ON "PackageVersion" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = OLD."registrationId"; END;
CREATE TRIGGER "PackageOwner_insert_registration_revision" AFTER INSERT ON "PackageOwner" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = NEW."registrationId"; END;
CREATE TRIGGER "PackageOwner_update_registration_revision" AFTER UPDATE ON "PackageOwner" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" IN (OLD."registrationId", NEW."registrationId"); END;
CREATE TRIGGER "PackageOwner_delete_registration_revision" AFTER DELETE ON "PackageOwner" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = OLD."registrationId"; END;
-- The row's own changes; the raise itself changes "revision" and so does not fire this again.
CREATE TRIGGER "PackageRegistration_update_registration_revision" AFTER UPDATE ON "PackageRegistration" WHEN NEW."revision" = OLD."revision" BEGIN UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = NEW."id"; END;

INSERT INTO "GalleryRevision" ("id", "value") VALUES (2, 0), (3, 0);
CREATE TRIGGER "PrefixReservation_insert_shared_facts" AFTER INSERT ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PrefixReservation_update_shared_facts" AFTER UPDATE ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PrefixReservation_delete_shared_facts" AFTER DELETE ON "PrefixReservation" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PrefixReservationOwner_insert_shared_facts" AFTER INSERT ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PrefixReservationOwner_update_shared_facts" AFTER UPDATE ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PrefixReservationOwner_delete_shared_facts" AFTER DELETE ON "PrefixReservationOwner" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "Certificate_update_shared_facts" AFTER UPDATE ON "Certificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "Certificate_delete_shared_facts" AFTER DELETE ON "Certificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "RegisteredCertificate_insert_shared_facts" AFTER INSERT ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "RegisteredCertificate_update_shared_facts" AFTER UPDATE ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "RegisteredCertificate_delete_shared_facts" AFTER DELETE ON "RegisteredCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "User_username_shared_facts" AFTER UPDATE OF "username" ON "User" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "PackageRegistration_insert_package_ids" AFTER INSERT ON "PackageRegistration" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 3; END;
CREATE TRIGGER "PackageRegistration_delete_package_ids" AFTER DELETE ON "PackageRegistration" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 3; END;

-- The search index: documents (see schema.prisma), their words in FTS5 tables, and counts.
CREATE TABLE "SearchDocument" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "registrationId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "variants" INTEGER NOT NULL,
    "packageId" TEXT NOT NULL,
    "packageIdLower" TEXT NOT NULL,
    "idTokens" TEXT NOT NULL,
    "packageTypes" TEXT NOT NULL,
    "trusted" BOOLEAN NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "signerCertificateId" TEXT,
    "downloads" BIGINT NOT NULL DEFAULT 0,
    "lastPublishedAt" DATETIME NOT NULL,
    CONSTRAINT "SearchDocument_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SearchDocument_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PackageVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "SearchDocument_registrationId_versionId_key" ON "SearchDocument"("registrationId", "versionId");
CREATE INDEX "SearchDocument_downloads_packageIdLower_idx" ON "SearchDocument"("downloads" DESC, "packageIdLower");
CREATE INDEX "SearchDocument_lastPublishedAt_idx" ON "SearchDocument"("lastPublishedAt");
CREATE INDEX "SearchDocument_signerCertificateId_idx" ON "SearchDocument"("signerCertificateId");
CREATE INDEX "SearchDocument_versionId_idx" ON "SearchDocument"("versionId");

CREATE TABLE "SearchDocumentType" (
    "packageType" TEXT NOT NULL,
    "documentId" INTEGER NOT NULL,
    PRIMARY KEY ("packageType", "documentId"),
    CONSTRAINT "SearchDocumentType_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "SearchDocument" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SearchDocumentType_documentId_idx" ON "SearchDocumentType"("documentId");

-- "idTerms": the ID's words (its parts, and the words of camel-cased parts: "asp net core");
-- "terms": every word a free search word may match (ID, title, tags, summary, description,
-- authors, owners). Written already split into lower-case words (lib/search/words.ts), so the
-- same words reach SQLite and PostgreSQL. Contentless: the text is not stored twice.
CREATE VIRTUAL TABLE "SearchText" USING fts5("idTerms", "terms", content='', contentless_delete=1, prefix='1 2 3', tokenize='unicode61 remove_diacritics 2');
-- Every three-character piece of each lower-case ID, so any part of an ID is found by MATCH.
CREATE VIRTUAL TABLE "SearchIdTrigram" USING fts5("packageIdLower", content='', contentless_delete=1, tokenize='trigram');
CREATE TRIGGER "SearchDocument_insert_trigram" AFTER INSERT ON "SearchDocument" BEGIN INSERT INTO "SearchIdTrigram" (rowid, "packageIdLower") VALUES (NEW."id", NEW."packageIdLower"); END;
CREATE TRIGGER "SearchDocument_delete_words" AFTER DELETE ON "SearchDocument" BEGIN DELETE FROM "SearchText" WHERE rowid = OLD."id"; DELETE FROM "SearchIdTrigram" WHERE rowid = OLD."id"; END;

CREATE TABLE "SearchPackageStats" (
    "registrationId" TEXT NOT NULL PRIMARY KEY,
    "listedVersions" INTEGER NOT NULL,
    "trustedVersions" INTEGER NOT NULL,
    "downloads" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "SearchPackageStats_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "SearchCount" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" BIGINT NOT NULL
);

-- The owner: filter finds the account by its name in any case.
CREATE INDEX "User_username_lower_idx" ON "User"(LOWER("username"));
