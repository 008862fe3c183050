-- The publication log (lib/tlog): an append-only Merkle tree (RFC 6962) of every publication,
-- unlisting, relisting and certificate compromise mark, written in the same transaction as the
-- change it records.
CREATE TABLE "LogHead" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "size" INTEGER NOT NULL,
    "root" BLOB NOT NULL
);
-- The empty tree: its root is SHA-256 of no bytes.
INSERT INTO "LogHead" ("id", "size", "root") VALUES (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

CREATE TABLE "LogEntry" (
    "index" INTEGER NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "packageIdLower" TEXT,
    "versionLower" TEXT,
    "data" BLOB NOT NULL
);
CREATE INDEX "LogEntry_packageIdLower_versionLower_idx" ON "LogEntry"("packageIdLower", "versionLower");

CREATE TABLE "LogNode" (
    "level" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "hash" BLOB NOT NULL,
    PRIMARY KEY ("level", "index")
);

-- Every version points at the log entry of its publication. Rows published before the log
-- existed are logged by `npm run db:migrate` (lib/tlog/backfill.ts), which sets the column once.
ALTER TABLE "PackageVersion" ADD COLUMN "logIndex" INTEGER REFERENCES "LogEntry" ("index") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE UNIQUE INDEX "PackageVersion_logIndex_key" ON "PackageVersion"("logIndex");

-- Append-only: entries and tree nodes are never changed or removed, and the head only grows.
CREATE TRIGGER "LogEntry_no_update" BEFORE UPDATE ON "LogEntry" BEGIN SELECT RAISE(ABORT, 'the publication log is append-only: entries cannot be changed'); END;
CREATE TRIGGER "LogEntry_no_delete" BEFORE DELETE ON "LogEntry" BEGIN SELECT RAISE(ABORT, 'the publication log is append-only: entries cannot be removed'); END;
CREATE TRIGGER "LogNode_no_update" BEFORE UPDATE ON "LogNode" BEGIN SELECT RAISE(ABORT, 'the publication log is append-only: tree hashes cannot be changed'); END;
CREATE TRIGGER "LogNode_no_delete" BEFORE DELETE ON "LogNode" BEGIN SELECT RAISE(ABORT, 'the publication log is append-only: tree hashes cannot be removed'); END;
CREATE TRIGGER "LogHead_no_delete" BEFORE DELETE ON "LogHead" BEGIN SELECT RAISE(ABORT, 'the publication log head cannot be removed'); END;
CREATE TRIGGER "LogHead_only_grows" BEFORE UPDATE ON "LogHead" WHEN NEW."size" < OLD."size" BEGIN SELECT RAISE(ABORT, 'the publication log cannot shrink'); END;

-- A version is published only with its own publication entry: no version without one.
CREATE TRIGGER "PackageVersion_logged_on_insert" BEFORE INSERT ON "PackageVersion"
WHEN NOT EXISTS (
    SELECT 1 FROM "LogEntry" e JOIN "PackageRegistration" r ON r."id" = NEW."registrationId"
    WHERE e."index" = NEW."logIndex" AND e."kind" = 'publish' AND e."packageIdLower" = r."packageIdLower" AND e."versionLower" = NEW."versionLower"
)
BEGIN SELECT RAISE(ABORT, 'a package version is published only with its entry in the publication log'); END;
CREATE TRIGGER "PackageVersion_logged_on_update" BEFORE UPDATE OF "logIndex" ON "PackageVersion"
WHEN NEW."logIndex" IS NOT OLD."logIndex" AND (OLD."logIndex" IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM "LogEntry" e JOIN "PackageRegistration" r ON r."id" = NEW."registrationId"
    WHERE e."index" = NEW."logIndex" AND e."kind" = 'publish' AND e."packageIdLower" = r."packageIdLower" AND e."versionLower" = NEW."versionLower"
))
BEGIN SELECT RAISE(ABORT, 'a package version keeps the publication log entry it was published with'); END;
