// Quarantine fills the disk (issue 14): one fresh account left 960 MB in quarantine in 13 s
// with four garbage pushes. Each account's refused files are kept up to a byte quota and an
// hourly rate; past them a refusal keeps its record and reasons but not its bytes, and the
// admin dashboard shows what quarantine holds.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { getDashboardCounts } from "@/lib/admin/dashboard";
import { submitPackage, type UploadOutcome } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { useUploadHarness } from "./harness";
import { services } from "@/lib/services";

const GARBAGE_BYTES = 1000;

describe.each(testDialects())("quarantine quota on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  async function pushGarbage(uploaderId: string, now = new Date()): Promise<UploadOutcome> {
    return submitPackage(harness.db(), harness.storage(), await harness.stage(randomBytes(GARBAGE_BYTES)), {
      ...services.judging(),
      uploaderId,
      source: "API",
      now,
    });
  }

  async function keptFiles(): Promise<string[]> {
    return (await harness.storedFiles()).filter((key) => key.startsWith("quarantine/"));
  }

  it("keeps an account's refused files up to its byte quota, then only their records and reasons", async () => {
    vi.stubEnv("SIGNET_QUARANTINE_BYTES", String(3 * GARBAGE_BYTES));
    vi.stubEnv("SIGNET_QUARANTINE_FILES_PER_HOUR", "100");
    const mallory = await harness.createUser("mallory");
    const outcomes: UploadOutcome[] = [];
    for (let push = 0; push < 5; push++) outcomes.push(await pushGarbage(mallory));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(5).fill("rejected"));
    expect(await keptFiles()).toEqual(
      outcomes
        .slice(0, 3)
        .map((outcome) => `quarantine/${outcome.attemptId}.nupkg`)
        .sort(),
    );
    for (const outcome of outcomes.slice(3)) {
      const notKept = outcome.issues.find((issue) => issue.code === "QUARANTINE_FILE_NOT_KEPT");
      expect(notKept?.message).toContain("already take 3,000 bytes of quarantine, and the limit is 3,000 bytes");
      const row = await harness.db().uploadAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
      expect(row).toMatchObject({ status: "REJECTED", storageKey: null, fileSize: GARBAGE_BYTES });
      expect(JSON.parse(row.issues).map((issue: { code: string }) => issue.code)).toEqual([
        "ZIP_INVALID",
        "QUARANTINE_FILE_NOT_KEPT",
      ]);
    }
    // Nothing is left in staging either.
    expect((await harness.storedFiles()).filter((key) => !key.startsWith("quarantine/"))).toEqual([]);

    // The quota is per account: someone else's refused upload is still kept for review.
    const other = await pushGarbage(await harness.createUser("honest"));
    expect(await keptFiles()).toContain(`quarantine/${other.attemptId}.nupkg`);
    expect(await getDashboardCounts(harness.db())).toMatchObject({
      rejectedUploads: 6,
      quarantinedFiles: 4,
      quarantineBytes: 4 * GARBAGE_BYTES,
    });
  });

  it("keeps at most the hourly number of an account's refused files, and more again an hour later", async () => {
    vi.stubEnv("SIGNET_QUARANTINE_BYTES", String(1024 * 1024 * 1024));
    vi.stubEnv("SIGNET_QUARANTINE_FILES_PER_HOUR", "2");
    const eve = await harness.createUser("eve");
    const start = new Date();
    const first = [await pushGarbage(eve, start), await pushGarbage(eve, start), await pushGarbage(eve, start)];
    expect(first.map((outcome) => outcome.issues.some((issue) => issue.code === "QUARANTINE_FILE_NOT_KEPT"))).toEqual([
      false,
      false,
      true,
    ]);
    expect(first[2]?.issues.find((issue) => issue.code === "QUARANTINE_FILE_NOT_KEPT")?.message).toContain(
      "2 refused files of this account were kept in the last hour",
    );
    const later = await pushGarbage(eve, new Date(start.getTime() + 61 * 60 * 1000));
    expect(later.issues.map((issue) => issue.code)).toEqual(["ZIP_INVALID"]);
    expect(await keptFiles()).toContain(`quarantine/${later.attemptId}.nupkg`);
  });
});
