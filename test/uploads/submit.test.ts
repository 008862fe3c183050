import { describe, expect, it } from "vitest";
import { submitPackage } from "@/lib/uploads";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { testDialects } from "@/test/db/scratch";
import { useUploadHarness } from "./harness";

describe.each(testDialects())("submitPackage on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  it("publishes an unsigned package when nobody registered a certificate", async () => {
    const alice = await harness.createUser("alice");
    const received = await harness.stage(buildUnsignedPackage({ id: "Contoso.Utils", version: "1.0.0" }));
    const outcome = await submitPackage(harness.db(), harness.storage(), received, { uploaderId: alice, source: "WEB" });
    expect(outcome).toMatchObject({ status: "accepted", packageVersion: { packageId: "Contoso.Utils", version: "1.0.0" }, issues: [] });
    expect(await harness.storedFiles()).toEqual(["packages/contoso.utils/1.0.0/contoso.utils.1.0.0.nupkg"]);
  });
});
