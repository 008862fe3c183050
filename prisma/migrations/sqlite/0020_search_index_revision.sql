-- Home and /packages are cached by what they show (lib/http/page-cache.ts): the search index's
-- documents, per-package stats and counts, whose every change raises GalleryRevision row 4 in
-- the same transaction (publish, unlist/relist, owner change, compromise mark, download roll-up,
-- whichever code path or SQL prompt made it), plus row 2 (reservations and usernames) read beside it.
INSERT INTO "GalleryRevision" ("id", "value") VALUES (4, 0);
CREATE TRIGGER "SearchDocument_insert_search_revision" AFTER INSERT ON "SearchDocument" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchDocument_update_search_revision" AFTER UPDATE ON "SearchDocument" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchDocument_delete_search_revision" AFTER DELETE ON "SearchDocument" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchDocumentType_insert_search_revision" AFTER INSERT ON "SearchDocumentType" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchDocumentType_delete_search_revision" AFTER DELETE ON "SearchDocumentType" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchPackageStats_insert_search_revision" AFTER INSERT ON "SearchPackageStats" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchPackageStats_update_search_revision" AFTER UPDATE ON "SearchPackageStats" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchPackageStats_delete_search_revision" AFTER DELETE ON "SearchPackageStats" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchCount_insert_search_revision" AFTER INSERT ON "SearchCount" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchCount_update_search_revision" AFTER UPDATE ON "SearchCount" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
CREATE TRIGGER "SearchCount_delete_search_revision" AFTER DELETE ON "SearchCount" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 4; END;
