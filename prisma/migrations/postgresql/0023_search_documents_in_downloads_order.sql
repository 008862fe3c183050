-- On SQLite, search documents' ids now order them by downloads and exceed 32 bits
-- (lib/search/document-ids.ts); the schema names them BigInt for both databases, so PostgreSQL's
-- columns widen too. Its ids stay a plain sequence.
ALTER TABLE "SearchDocumentType" ALTER COLUMN "documentId" TYPE BIGINT;
ALTER TABLE "SearchDocument" ALTER COLUMN "id" TYPE BIGINT;
ALTER SEQUENCE "SearchDocument_id_seq" AS BIGINT;
