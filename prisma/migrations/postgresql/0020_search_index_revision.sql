-- Home and /packages are cached by what they show (lib/http/page-cache.ts): the search index's
-- documents, per-package stats and counts, whose every change raises GalleryRevision row 4 in
-- the same transaction (publish, unlist/relist, owner change, compromise mark, download roll-up,
-- whichever code path or SQL prompt made it), plus row 2 (reservations and usernames) read beside it.
-- At commit, as the other revision triggers, so concurrent writers cannot deadlock on the row.
INSERT INTO "GalleryRevision" ("id", "value") VALUES (4, 0);
CREATE CONSTRAINT TRIGGER "SearchDocument_search_revision" AFTER INSERT OR UPDATE OR DELETE ON "SearchDocument" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('4');
CREATE CONSTRAINT TRIGGER "SearchDocumentType_search_revision" AFTER INSERT OR UPDATE OR DELETE ON "SearchDocumentType" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('4');
CREATE CONSTRAINT TRIGGER "SearchPackageStats_search_revision" AFTER INSERT OR UPDATE OR DELETE ON "SearchPackageStats" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('4');
CREATE CONSTRAINT TRIGGER "SearchCount_search_revision" AFTER INSERT OR UPDATE OR DELETE ON "SearchCount" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('4');
