-- Signer identities (0014) show on package pages (who may sign, and the concrete certificates
-- seen under each), so they raise the gallery-wide facts every package page's stamp includes
-- (GalleryRevision row 2, lib/db/revision.ts), as reservations and registered certificates do.
CREATE TRIGGER "SignerIdentity_insert_shared_facts" AFTER INSERT ON "SignerIdentity" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "SignerIdentity_update_shared_facts" AFTER UPDATE ON "SignerIdentity" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "SignerIdentity_delete_shared_facts" AFTER DELETE ON "SignerIdentity" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "SignerIdentityCertificate_insert_shared_facts" AFTER INSERT ON "SignerIdentityCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "SignerIdentityCertificate_update_shared_facts" AFTER UPDATE ON "SignerIdentityCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
CREATE TRIGGER "SignerIdentityCertificate_delete_shared_facts" AFTER DELETE ON "SignerIdentityCertificate" BEGIN UPDATE "GalleryRevision" SET "value" = "value" + 1 WHERE "id" = 2; END;
