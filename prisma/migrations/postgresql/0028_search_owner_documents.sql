-- Search (issue 15, lib/search/search.ts matching): a search by owners alone reads the owner's
-- search documents here, in downloads order, with every column the filters and the orders read
-- ("id" is the document's id, named as SearchDocument's so that a search's conditions on `d`
-- read either table). Through PackageOwner, counting 1,001 of an account's 2,640 documents at
-- 500k packages was 1,001 lookups of SearchDocument (5.5 ms); here it is a range of one index.
-- "owner" is the username in lower case, what the filter compares: one row per owner name and
-- document, however many accounts of that name own the package.
-- Kept in step by the trigger below, in the transaction of whatever writes a document: a
-- document is written anew whenever its package's owners change (search-index.ts
-- refreshSearchDocuments, as SQLite's owner words need), and updated in place only by a download
-- roll-up (setPackageDownloads); its deletion cascades.
CREATE TABLE "SearchOwnerDocument" (
    "owner" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "variants" INTEGER NOT NULL,
    "trusted" BOOLEAN NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "packageTypes" TEXT NOT NULL,
    "downloads" BIGINT NOT NULL,
    "packageIdLower" TEXT NOT NULL,
    "lastPublishedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "SearchOwnerDocument_pkey" PRIMARY KEY ("id", "owner"),
    CONSTRAINT "SearchOwnerDocument_id_fkey" FOREIGN KEY ("id") REFERENCES "SearchDocument" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- The count and the walks in downloads order (or, reading every row of the owner, by recency)
-- read this index alone: the columns the filters test and the orders compare, and the id.
CREATE INDEX "SearchOwnerDocument_owner_downloads_idx" ON "SearchOwnerDocument" ("owner", "downloads" DESC, "packageIdLower")
    INCLUDE ("id", "variants", "trusted", "verified", "registrationId", "packageTypes", "lastPublishedAt");

CREATE FUNCTION "search_owner_documents_of_document"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE "SearchOwnerDocument" SET "downloads" = NEW."downloads" WHERE "id" = NEW."id";
        RETURN NULL;
    END IF;
    INSERT INTO "SearchOwnerDocument" ("owner", "id", "registrationId", "variants", "trusted", "verified", "packageTypes", "downloads", "packageIdLower", "lastPublishedAt")
    SELECT DISTINCT LOWER(u."username"), NEW."id", NEW."registrationId", NEW."variants", NEW."trusted", NEW."verified", NEW."packageTypes", NEW."downloads", NEW."packageIdLower", NEW."lastPublishedAt"
    FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId"
    WHERE po."registrationId" = NEW."registrationId";
    RETURN NULL;
END;
$$;
CREATE TRIGGER "SearchDocument_owner_documents" AFTER INSERT OR UPDATE OF "downloads"
    ON "SearchDocument" FOR EACH ROW EXECUTE FUNCTION "search_owner_documents_of_document"();

INSERT INTO "SearchOwnerDocument" ("owner", "id", "registrationId", "variants", "trusted", "verified", "packageTypes", "downloads", "packageIdLower", "lastPublishedAt")
SELECT DISTINCT LOWER(u."username"), d."id", d."registrationId", d."variants", d."trusted", d."verified", d."packageTypes", d."downloads", d."packageIdLower", d."lastPublishedAt"
FROM "SearchDocument" d
JOIN "PackageOwner" po ON po."registrationId" = d."registrationId"
JOIN "User" u ON u."id" = po."userId";
