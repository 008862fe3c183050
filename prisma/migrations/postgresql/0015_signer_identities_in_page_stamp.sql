-- Signer identities (0014) show on package pages (who may sign, and the concrete certificates
-- seen under each), so they raise the gallery-wide facts every package page's stamp includes
-- (GalleryRevision row 2, lib/db/revision.ts), as reservations and registered certificates do.
-- At commit, as the other revision triggers, so concurrent writers cannot deadlock on the row.
CREATE CONSTRAINT TRIGGER "SignerIdentity_shared_facts" AFTER INSERT OR UPDATE OR DELETE ON "SignerIdentity" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
CREATE CONSTRAINT TRIGGER "SignerIdentityCertificate_shared_facts" AFTER INSERT OR UPDATE OR DELETE ON "SignerIdentityCertificate" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "raise_gallery_fact"('2');
