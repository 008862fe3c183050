-- Search index and per-package page revisions (issue 15).
--
-- A package page is cached by what it shows: its registration's revision, which the triggers
-- below raise in the same transaction as any change to the package's row, versions or owners,
-- and two gallery-wide facts in GalleryRevision: row 2, raised by what can change any number of
-- pages at once (reservations and their owners, certificate details and compromise marks,
-- registered certificates, usernames), and row 3, raised when a package ID appears or goes (a
-- page links the dependencies the gallery has). Row 1 keeps its meaning: any change at all.
-- Rows 2 and 3 are raised at commit (deferred), as row 1 is, so concurrent transactions cannot
-- deadlock on them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "PackageRegistration" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION "raise_registration_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = OLD."registrationId";
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."registrationId" IS DISTINCT FROM OLD."registrationId") THEN
        UPDATE "PackageRegistration" SET "revision" = "revision" + 1 WHERE "id" = NEW."registrationId";
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "PackageVersion_registration_revision" AFTER INSERT OR UPDATE OR DELETE ON "PackageVersion" FOR EACH ROW EXECUTE FUNCTION "raise_registration_revision"();
CREATE TRIGGER "PackageOwner_registration_revision" AFTER INSERT OR UPDATE OR DELETE ON "PackageOwner" FOR EACH ROW EXECUTE FUNCTION "raise_registration_revision"();
-- The row's own changes; the raise itself changes "revision" and so does not fire this again.
CREATE FUNCTION "raise_own_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."revision" := OLD."revision" + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "PackageRegistration_own_revision" BEFORE UPDATE ON "PackageRegistration" FOR EACH ROW WHEN (NEW."revision" = OLD."revision") EXECUTE FUNCTION "raise_own_revision"();

INSERT INTO "GalleryRevision" ("id", "value") VALUES (2, 0), (3, 0);
CREATE FUNCTION "raise_gallery_fact"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = TG_ARGV[0]::integer;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER "PrefixReservation_shared_facts" AFTER INSERT OR UPDATE OR DELETE ON "PrefixReservation" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "PrefixReservationOwner_shared_facts" AFTER INSERT OR UPDATE OR DELETE ON "PrefixReservationOwner" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "Certificate_shared_facts" AFTER UPDATE OR DELETE ON "Certificate" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "RegisteredCertificate_shared_facts" AFTER INSERT OR UPDATE OR DELETE ON "RegisteredCertificate" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "User_username_shared_facts" AFTER UPDATE OF "username" ON "User" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "PackageRegistration_package_ids" AFTER INSERT OR DELETE ON "PackageRegistration" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('3');

-- The search index: documents (see schema.prisma) with their words as tsvectors, and counts.
CREATE TABLE "SearchDocument" (
    "id" SERIAL NOT NULL,
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
    "lastPublishedAt" TIMESTAMP(3) NOT NULL,
    -- The ID's words, and every word a free search word may match, as written by
    -- lib/search/words.ts (array_to_tsvector: already split and lower-cased).
    "idTerms" tsvector NOT NULL DEFAULT ''::tsvector,
    "terms" tsvector NOT NULL DEFAULT ''::tsvector,
    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SearchDocument_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SearchDocument_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PackageVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "SearchDocument_registrationId_versionId_key" ON "SearchDocument"("registrationId", "versionId");
CREATE INDEX "SearchDocument_downloads_packageIdLower_idx" ON "SearchDocument"("downloads" DESC, "packageIdLower");
CREATE INDEX "SearchDocument_lastPublishedAt_idx" ON "SearchDocument"("lastPublishedAt");
CREATE INDEX "SearchDocument_signerCertificateId_idx" ON "SearchDocument"("signerCertificateId");
CREATE INDEX "SearchDocument_versionId_idx" ON "SearchDocument"("versionId");
CREATE INDEX "SearchDocument_idTerms_idx" ON "SearchDocument" USING GIN ("idTerms");
CREATE INDEX "SearchDocument_terms_idx" ON "SearchDocument" USING GIN ("terms");
-- Any part of an ID, three characters or more: LIKE '%part%' through pg_trgm.
CREATE INDEX "SearchDocument_packageIdLower_trgm_idx" ON "SearchDocument" USING GIN ("packageIdLower" gin_trgm_ops);

CREATE TABLE "SearchDocumentType" (
    "packageType" TEXT NOT NULL,
    "documentId" INTEGER NOT NULL,
    CONSTRAINT "SearchDocumentType_pkey" PRIMARY KEY ("packageType", "documentId"),
    CONSTRAINT "SearchDocumentType_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "SearchDocument" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SearchDocumentType_documentId_idx" ON "SearchDocumentType"("documentId");

CREATE TABLE "SearchPackageStats" (
    "registrationId" TEXT NOT NULL,
    "listedVersions" INTEGER NOT NULL,
    "trustedVersions" INTEGER NOT NULL,
    "downloads" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "SearchPackageStats_pkey" PRIMARY KEY ("registrationId"),
    CONSTRAINT "SearchPackageStats_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "PackageRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "SearchCount" (
    "key" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "SearchCount_pkey" PRIMARY KEY ("key")
);

-- The owner: filter finds the account by its name in any case.
CREATE INDEX "User_username_lower_idx" ON "User"(LOWER("username"));
