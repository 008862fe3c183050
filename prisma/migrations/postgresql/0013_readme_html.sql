-- The readme rendered to sanitised HTML when the version is published, so that showing a package
-- page never renders Markdown (1 MiB of hostile Markdown takes seconds). NULL with a readme marks
-- versions published before this column: `npm run db:migrate` renders them.
ALTER TABLE "PackageVersion" ADD COLUMN "readmeHtml" TEXT;
