-- The package types a version declares (<packageTypes> in its nuspec), as a JSON array of names,
-- so search can filter by them (SearchQueryService/3.5.0's packageType). NULL marks versions
-- published before this column: `npm run db:migrate` fills them from the stored manifest.
ALTER TABLE "PackageVersion" ADD COLUMN "packageTypes" TEXT;
