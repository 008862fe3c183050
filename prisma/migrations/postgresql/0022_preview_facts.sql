-- What judging a preview learnt from its bytes alone (the entries' data and the package's hashes,
-- lib/validation/judge-upload.ts PackageFacts, as JSON), so submitting it judges afresh only what
-- can have changed since without reading every byte again. NULL for other attempts, and for
-- previews made before this column: those are judged in full on submit.
ALTER TABLE "UploadAttempt" ADD COLUMN "judgedFacts" TEXT;
