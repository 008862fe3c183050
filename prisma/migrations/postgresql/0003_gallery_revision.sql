-- Package pages are cached for anonymous readers (lib/http/page-cache.ts). Everything a page
-- shows lives in the tables below; any change to them raises GalleryRevision.value in the same
-- transaction, so a cached page can tell it is stale, whatever made the change.
-- On PostgreSQL the raise is a deferred constraint trigger: it runs at commit, after every other
-- lock the transaction takes, so concurrent publishes cannot deadlock on the revision row.
CREATE TABLE "GalleryRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);
INSERT INTO "GalleryRevision" ("id", "value") VALUES (1, 0);
CREATE FUNCTION "raise_gallery_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 1;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER "PackageRegistration_revision" AFTER INSERT OR UPDATE OR DELETE ON "PackageRegistration" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "PackageOwner_revision" AFTER INSERT OR UPDATE OR DELETE ON "PackageOwner" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "PackageVersion_revision" AFTER INSERT OR UPDATE OR DELETE ON "PackageVersion" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "PrefixReservation_revision" AFTER INSERT OR UPDATE OR DELETE ON "PrefixReservation" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "PrefixReservationOwner_revision" AFTER INSERT OR UPDATE OR DELETE ON "PrefixReservationOwner" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "Certificate_revision" AFTER INSERT OR UPDATE OR DELETE ON "Certificate" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "RegisteredCertificate_revision" AFTER INSERT OR UPDATE OR DELETE ON "RegisteredCertificate" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
CREATE CONSTRAINT TRIGGER "User_revision" AFTER INSERT OR UPDATE OR DELETE ON "User" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_revision"();
