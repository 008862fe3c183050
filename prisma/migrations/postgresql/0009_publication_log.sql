-- The publication log (lib/tlog): an append-only Merkle tree (RFC 6962) of every publication,
-- unlisting, relisting and certificate compromise mark, written in the same transaction as the
-- change it records.
CREATE TABLE "LogHead" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "size" INTEGER NOT NULL,
    "root" BYTEA NOT NULL
);
-- The empty tree: its root is SHA-256 of no bytes.
INSERT INTO "LogHead" ("id", "size", "root") VALUES (1, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'::bytea);

CREATE TABLE "LogEntry" (
    "index" INTEGER NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "packageIdLower" TEXT,
    "versionLower" TEXT,
    "data" BYTEA NOT NULL
);
CREATE INDEX "LogEntry_packageIdLower_versionLower_idx" ON "LogEntry"("packageIdLower", "versionLower");

CREATE TABLE "LogNode" (
    "level" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "hash" BYTEA NOT NULL,
    PRIMARY KEY ("level", "index")
);

-- Every version points at the log entry of its publication. Rows published before the log
-- existed are logged by `npm run db:migrate` (lib/tlog/backfill.ts), which sets the column once.
ALTER TABLE "PackageVersion" ADD COLUMN "logIndex" INTEGER;
ALTER TABLE "PackageVersion" ADD CONSTRAINT "PackageVersion_logIndex_fkey" FOREIGN KEY ("logIndex") REFERENCES "LogEntry" ("index") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE UNIQUE INDEX "PackageVersion_logIndex_key" ON "PackageVersion"("logIndex");

-- Append-only: entries and tree nodes are never changed or removed, and the head only grows.
CREATE FUNCTION "refuse_log_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the publication log is append-only: % cannot be changed or removed', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER "LogEntry_append_only" BEFORE UPDATE OR DELETE ON "LogEntry" FOR EACH ROW EXECUTE FUNCTION "refuse_log_change"();
CREATE TRIGGER "LogNode_append_only" BEFORE UPDATE OR DELETE ON "LogNode" FOR EACH ROW EXECUTE FUNCTION "refuse_log_change"();
CREATE TRIGGER "LogHead_no_delete" BEFORE DELETE ON "LogHead" FOR EACH ROW EXECUTE FUNCTION "refuse_log_change"();
CREATE TRIGGER "LogHead_only_grows" BEFORE UPDATE ON "LogHead" FOR EACH ROW WHEN (NEW."size" < OLD."size") EXECUTE FUNCTION "refuse_log_change"();

-- A version is published only with its own publication entry: no version without one.
CREATE FUNCTION "require_publication_entry"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD."logIndex" IS NOT NULL THEN
        RAISE EXCEPTION 'a package version keeps the publication log entry it was published with';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM "LogEntry" e JOIN "PackageRegistration" r ON r."id" = NEW."registrationId"
        WHERE e."index" = NEW."logIndex" AND e."kind" = 'publish' AND e."packageIdLower" = r."packageIdLower" AND e."versionLower" = NEW."versionLower"
    ) THEN
        RAISE EXCEPTION 'a package version is published only with its entry in the publication log';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "PackageVersion_logged_on_insert" BEFORE INSERT ON "PackageVersion" FOR EACH ROW EXECUTE FUNCTION "require_publication_entry"();
CREATE TRIGGER "PackageVersion_logged_on_update" BEFORE UPDATE OF "logIndex" ON "PackageVersion" FOR EACH ROW WHEN (NEW."logIndex" IS DISTINCT FROM OLD."logIndex") EXECUTE FUNCTION "require_publication_entry"();
