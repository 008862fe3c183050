// The web page's preview step, admin review of refused uploads (each with its audit entry),
// and reading attempts back for "My uploads" and the admin console.

import { describe, expect, it } from "vitest";
import {
  approveAttempt,
  cancelPreview,
  deleteAttempt,
  getUploadAttempt,
  listUploadAttempts,
  previewPackage,
  removeStalePreviews,
  revalidateAttempt,
  submitPackage,
  submitPreview,
  tidyUploadsOccasionally,
} from "@/lib/uploads";
import { PREVIEW_LIFETIME_MS, TIDY_INTERVAL_MS } from "@/lib/uploads/housekeeping";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { useUploadHarness } from "./harness";
import { services } from "@/lib/services";

describe.each(testDialects())("previews, review and attempts on %s", (dialect) => {
  const harness = useUploadHarness(dialect);
  const ids: Record<string, string> = {};

  async function refusedIntoReservation(id: string, version = "1.0.0"): Promise<string> {
    const outcome = await submitPackage(
      harness.db(),
      harness.storage(),
      await harness.stage(buildUnsignedPackage({ id, version })),
      { ...services.judging(), uploaderId: ids.alice!, source: "API" },
    );
    expect(outcome.issues.map((issue) => issue.code)).toEqual(["PACKAGE_ID_RESERVED"]);
    return outcome.attemptId;
  }

  async function auditEntries(attemptId: string) {
    return harness.db().auditLogEntry.findMany({
      where: { targetType: "UploadAttempt", targetId: attemptId },
      orderBy: { createdAt: "asc" },
    });
  }

  describe("previews", () => {
    it("keeps a judged upload as a PREVIEW with its file, and publishes it on submit", async () => {
      ids.alice = await harness.createUser("alice");
      ids.bob = await harness.createUser("bob");
      ids.admin = await harness.createUser("root", "ADMIN");
      const { attemptId, judgement } = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Preview.Me", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice },
      );
      expect(judgement).toMatchObject({ packageId: "Preview.Me", version: "1.0.0", issues: [], isNewId: true });
      expect(await harness.storedFiles()).toEqual([`pending/${attemptId}.nupkg`]);
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "PREVIEW",
        source: "WEB",
        uploaderUsername: "alice",
      });

      await expect(
        submitPreview(harness.db(), harness.storage(), attemptId, { ...services.judging(), uploaderId: ids.bob }),
      ).rejects.toMatchObject({ code: "UPLOAD_NOT_FOUND" });
      const outcome = await submitPreview(harness.db(), harness.storage(), attemptId, {
        ...services.judging(),
        uploaderId: ids.alice,
      });
      expect(outcome).toMatchObject({
        status: "accepted",
        attemptId,
        packageVersion: { packageId: "Preview.Me", version: "1.0.0" },
      });
      expect(await harness.storedFiles()).toEqual(["packages/preview.me/1.0.0/preview.me.1.0.0.nupkg"]);
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "ACCEPTED",
        storageKey: null,
        packageVersionId: outcome.status === "accepted" ? outcome.packageVersion.id : "",
      });
      await expect(
        submitPreview(harness.db(), harness.storage(), attemptId, { ...services.judging(), uploaderId: ids.alice }),
      ).rejects.toMatchObject({ code: "UPLOAD_NOT_FOUND" });
    });

    it("judges a preview again on submit: what changed since is refused, and the file moves to quarantine", async () => {
      const first = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Twice.Previewed", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice! },
      );
      const second = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Twice.Previewed", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice! },
      );
      expect(
        (
          await submitPreview(harness.db(), harness.storage(), first.attemptId, {
            ...services.judging(),
            uploaderId: ids.alice!,
          })
        ).status,
      ).toBe("accepted");
      const outcome = await submitPreview(harness.db(), harness.storage(), second.attemptId, {
        ...services.judging(),
        uploaderId: ids.alice!,
      });
      expect(outcome).toMatchObject({
        status: "rejected",
        issues: [expect.objectContaining({ code: "PACKAGE_VERSION_EXISTS" })],
      });
      expect((await harness.storedFiles()).filter((key) => key.includes(second.attemptId))).toEqual([]);
    });

    it("records when the file arrived, at the preview, not when it was submitted, as an untimestamped version's proven signing time", async () => {
      const uploadedAt = new Date("2026-11-20T09:00:00Z");
      const { attemptId } = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Slow.Submit", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice!, now: uploadedAt },
      );
      const outcome = await submitPreview(harness.db(), harness.storage(), attemptId, {
        ...services.judging(),
        uploaderId: ids.alice!,
        now: new Date("2026-11-20T17:00:00Z"),
      });
      expect(outcome.status).toBe("accepted");
      const version = await harness
        .db()
        .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "slow.submit" } } });
      expect(version).toMatchObject({
        provenSigningTime: uploadedAt,
        provenSigningTimeSource: "RECEIVED",
        publishedAt: new Date("2026-11-20T17:00:00Z"),
      });
    });

    it("lets only the uploader cancel a preview, which removes its row and file", async () => {
      const { attemptId } = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Cancelled.Preview", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice! },
      );
      await expect(
        cancelPreview(harness.db(), harness.storage(), attemptId, { uploaderId: ids.bob! }),
      ).rejects.toMatchObject({ code: "UPLOAD_NOT_FOUND" });
      expect(await harness.storage().exists(`pending/${attemptId}.nupkg`)).toBe(true);
      await cancelPreview(harness.db(), harness.storage(), attemptId, { uploaderId: ids.alice! });
      expect(await getUploadAttempt(harness.db(), attemptId)).toBeNull();
      expect(await harness.storage().exists(`pending/${attemptId}.nupkg`)).toBe(false);

      const submitted = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Cancelled.Preview", version: "2.0.0" })),
        { ...services.judging(), uploaderId: ids.alice! },
      );
      await submitPreview(harness.db(), harness.storage(), submitted.attemptId, {
        ...services.judging(),
        uploaderId: ids.alice!,
      });
      await expect(
        cancelPreview(harness.db(), harness.storage(), submitted.attemptId, { uploaderId: ids.alice! }),
      ).rejects.toMatchObject({ code: "UPLOAD_ATTEMPT_CONFLICT" });
      expect(await getUploadAttempt(harness.db(), submitted.attemptId)).toMatchObject({ status: "ACCEPTED" });
    });

    it("records an upload the rules refuse as REJECTED with its file in quarantine at once, which never expires", async () => {
      const now = new Date("2026-11-20T12:00:00Z");
      const { attemptId, judgement, refused } = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Refused.In.Browser", version: "1.0.0", description: "" })),
        { ...services.judging(), uploaderId: ids.alice!, now },
      );
      expect(refused).toBe(true);
      expect(judgement.issues.some((issue) => issue.level === "error")).toBe(true);
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "REJECTED",
        source: "WEB",
        storageKey: `quarantine/${attemptId}.nupkg`,
      });
      expect(await harness.storage().exists(`quarantine/${attemptId}.nupkg`)).toBe(true);
      expect(await harness.storage().exists(`pending/${attemptId}.nupkg`)).toBe(false);
      await expect(
        submitPreview(harness.db(), harness.storage(), attemptId, { ...services.judging(), uploaderId: ids.alice! }),
      ).rejects.toMatchObject({ code: "UPLOAD_ATTEMPT_CONFLICT" });
      await removeStalePreviews(harness.db(), harness.storage(), new Date("2026-12-20T12:00:00Z"));
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({ status: "REJECTED" });
      expect(
        (await listUploadAttempts(harness.db(), { status: "REJECTED" })).attempts.map((attempt) => attempt.id),
      ).toContain(attemptId);
    });

    it("removes previews nobody submitted within a day, rows and files", async () => {
      const now = new Date("2026-11-20T12:00:00Z");
      const { attemptId } = await previewPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Forgotten.Preview", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice!, now },
      );
      expect(await removeStalePreviews(harness.db(), harness.storage(), new Date("2026-11-21T11:59:00Z"))).toBe(0);
      expect(await removeStalePreviews(harness.db(), harness.storage(), new Date("2026-11-21T12:01:00Z"))).toBe(1);
      expect(await getUploadAttempt(harness.db(), attemptId)).toBeNull();
      expect((await harness.storedFiles()).filter((key) => key.includes(attemptId))).toEqual([]);
    });
  });

  it("tidies up from uploads themselves, at most every ten minutes", async () => {
    const start = new Date("2026-12-01T00:00:00Z");
    const later = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    const stalePreview = () =>
      harness.db().uploadAttempt.create({
        data: {
          uploaderId: ids.alice!,
          source: "WEB",
          status: "PREVIEW",
          fileSize: 1,
          createdAt: new Date(start.getTime() - 2 * PREVIEW_LIFETIME_MS),
        },
      });
    const first = await stalePreview();
    await tidyUploadsOccasionally(harness.db(), harness.storage(), services.staging, start);
    expect(await getUploadAttempt(harness.db(), first.id)).toBeNull();
    const second = await stalePreview();
    await tidyUploadsOccasionally(
      harness.db(),
      harness.storage(),
      services.staging,
      later(TIDY_INTERVAL_MS / 60_000 - 1),
    );
    expect(await getUploadAttempt(harness.db(), second.id)).not.toBeNull();
    await tidyUploadsOccasionally(
      harness.db(),
      harness.storage(),
      services.staging,
      later(TIDY_INTERVAL_MS / 60_000 + 1),
    );
    expect(await getUploadAttempt(harness.db(), second.id)).toBeNull();
  });

  describe("admin review", () => {
    it("revalidates with today's rules: still refused updates the issues, then publishes once the rule no longer applies", async () => {
      const reservation = await harness.db().prefixReservation.create({
        data: { pattern: "Locked.", patternLower: "locked.", owners: { create: { userId: ids.bob! } } },
      });
      const attemptId = await refusedIntoReservation("Locked.Widget");
      const stillRefused = await revalidateAttempt(harness.db(), harness.storage(), attemptId, {
        ...services.judging(),
        reviewerId: ids.admin!,
      });
      expect(stillRefused).toMatchObject({
        status: "rejected",
        issues: [expect.objectContaining({ code: "PACKAGE_ID_RESERVED" })],
      });
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "REJECTED",
        reviewerUsername: "root",
        storageKey: `quarantine/${attemptId}.nupkg`,
      });

      await harness.db().prefixReservation.delete({ where: { id: reservation.id } });
      const published = await revalidateAttempt(harness.db(), harness.storage(), attemptId, {
        ...services.judging(),
        reviewerId: ids.admin!,
      });
      expect(published).toMatchObject({ status: "accepted", packageVersion: { packageId: "Locked.Widget" } });
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "ACCEPTED",
        storageKey: null,
        reviewerId: ids.admin,
      });
      expect(await harness.storage().exists(`quarantine/${attemptId}.nupkg`)).toBe(false);
      expect(await harness.storage().exists("packages/locked.widget/1.0.0/locked.widget.1.0.0.nupkg")).toBe(true);
      expect(
        (await auditEntries(attemptId)).map((entry) => [
          entry.action,
          entry.actorId,
          JSON.parse(entry.details).outcome,
        ]),
      ).toEqual([
        ["upload.revalidate", ids.admin, "REJECTED"],
        ["upload.revalidate", ids.admin, "ACCEPTED"],
      ]);
    });

    it("approves despite the issues only with a reason, and records who and why", async () => {
      await harness.db().prefixReservation.create({
        data: { pattern: "Guarded.", patternLower: "guarded.", owners: { create: { userId: ids.bob! } } },
      });
      const attemptId = await refusedIntoReservation("Guarded.Thing");
      await expect(
        approveAttempt(harness.db(), harness.storage(), attemptId, {
          ...services.judging(),
          reviewerId: ids.admin!,
          reason: "  ",
        }),
      ).rejects.toMatchObject({ code: "REVIEW_REASON_REQUIRED" });
      const outcome = await approveAttempt(harness.db(), harness.storage(), attemptId, {
        ...services.judging(),
        reviewerId: ids.admin!,
        reason: "Agreed with the namespace owner by mail",
      });
      expect(outcome).toMatchObject({
        status: "accepted",
        packageVersion: { packageId: "Guarded.Thing", version: "1.0.0" },
      });
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "APPROVED",
        reviewReason: "Agreed with the namespace owner by mail",
        reviewerUsername: "root",
      });
      const [entry] = await auditEntries(attemptId);
      expect(entry).toMatchObject({
        action: "upload.approve",
        actorId: ids.admin,
        reason: "Agreed with the namespace owner by mail",
      });
      await expect(
        approveAttempt(harness.db(), harness.storage(), attemptId, {
          ...services.judging(),
          reviewerId: ids.admin!,
          reason: "again",
        }),
      ).rejects.toMatchObject({ code: "UPLOAD_ATTEMPT_CONFLICT" });
    });

    it("refuses to approve an upload whose version now exists, that kept no file, or whose manifest names no valid package", async () => {
      const attemptId = await refusedIntoReservation("Guarded.Other");
      const ownersPush = await submitPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Guarded.Other", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.bob!, source: "API" },
      );
      expect(ownersPush.status).toBe("accepted");
      await expect(
        approveAttempt(harness.db(), harness.storage(), attemptId, {
          ...services.judging(),
          reviewerId: ids.admin!,
          reason: "too late",
        }),
      ).rejects.toMatchObject({ code: "PACKAGE_VERSION_EXISTS" });
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "REJECTED",
        storageKey: `quarantine/${attemptId}.nupkg`,
      });

      const bareDuplicate = await submitPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Guarded.Other", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.bob!, source: "API" },
      );
      await expect(
        approveAttempt(harness.db(), harness.storage(), bareDuplicate.attemptId, {
          ...services.judging(),
          reviewerId: ids.admin!,
          reason: "why",
        }),
      ).rejects.toMatchObject({ code: "UPLOAD_FILE_NOT_FOUND" });

      const broken = await submitPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(buildUnsignedPackage({ id: "Not..Valid", version: "1.0.0" })),
        { ...services.judging(), uploaderId: ids.alice!, source: "API" },
      );
      await expect(
        approveAttempt(harness.db(), harness.storage(), broken.attemptId, {
          ...services.judging(),
          reviewerId: ids.admin!,
          reason: "looks fine",
        }),
      ).rejects.toMatchObject({ code: "UPLOAD_IDENTITY_UNKNOWN" });
      expect(await getUploadAttempt(harness.db(), broken.attemptId)).toMatchObject({ status: "REJECTED" });
      expect(await auditEntries(attemptId)).toEqual([]);
    });

    it("deletes a refused upload's file and keeps the attempt as DELETED with the reason", async () => {
      const attemptId = await refusedIntoReservation("Guarded.Gone");
      const key = `quarantine/${attemptId}.nupkg`;
      expect(await harness.storage().exists(key)).toBe(true);
      await deleteAttempt(harness.db(), harness.storage(), attemptId, { reviewerId: ids.admin!, reason: "Malware" });
      expect(await harness.storage().exists(key)).toBe(false);
      expect(await getUploadAttempt(harness.db(), attemptId)).toMatchObject({
        status: "DELETED",
        storageKey: null,
        reviewReason: "Malware",
      });
      expect(await auditEntries(attemptId)).toEqual([
        expect.objectContaining({
          action: "upload.delete",
          reason: "Malware",
          details: JSON.stringify({ outcome: "DELETED", storageKey: key }),
        }),
      ]);
      await expect(
        deleteAttempt(harness.db(), harness.storage(), attemptId, { reviewerId: ids.admin!, reason: "again" }),
      ).rejects.toMatchObject({ code: "UPLOAD_ATTEMPT_CONFLICT" });
    });
  });

  describe("listing attempts", () => {
    it("filters by uploader, status, issue code, package ID and date, newest first, in pages", async () => {
      const all = await listUploadAttempts(harness.db(), { pageSize: 100 });
      expect(all.total).toBe(all.attempts.length);
      expect(all.attempts.map((attempt) => attempt.createdAt.getTime())).toEqual(
        [...all.attempts.map((attempt) => attempt.createdAt.getTime())].sort((a, b) => b - a),
      );

      const reserved = await listUploadAttempts(harness.db(), { issueCode: "PACKAGE_ID_RESERVED" });
      expect(reserved.total).toBeGreaterThan(0);
      expect(
        reserved.attempts.every((attempt) => attempt.issues.some((issue) => issue.code === "PACKAGE_ID_RESERVED")),
      ).toBe(true);

      const deleted = await listUploadAttempts(harness.db(), { status: "DELETED", uploaderId: ids.alice! });
      expect(deleted.attempts.map((attempt) => attempt.packageId)).toEqual(["Guarded.Gone"]);
      expect(deleted.attempts[0]).toMatchObject({ uploaderUsername: "alice", source: "API" });

      const byId = await listUploadAttempts(harness.db(), { packageId: "guarded.", status: ["APPROVED", "DELETED"] });
      expect(byId.attempts.map((attempt) => attempt.packageId).sort()).toEqual(["Guarded.Gone", "Guarded.Thing"]);

      expect((await listUploadAttempts(harness.db(), { uploaderId: ids.admin! })).total).toBe(0);
      expect((await listUploadAttempts(harness.db(), { from: new Date("2099-01-01T00:00:00Z") })).total).toBe(0);
      expect((await listUploadAttempts(harness.db(), { to: new Date("2000-01-01T00:00:00Z") })).total).toBe(0);

      const page2 = await listUploadAttempts(harness.db(), { page: 2, pageSize: 2 });
      expect(page2).toMatchObject({ page: 2, pageSize: 2, total: all.total });
      expect(page2.attempts.map((attempt) => attempt.id)).toEqual(
        all.attempts.slice(2, 4).map((attempt) => attempt.id),
      );
    });

    it("returns one attempt with its issues and report parsed, or null", async () => {
      const [attempt] = (await listUploadAttempts(harness.db(), { issueCode: "PACKAGE_ID_RESERVED", pageSize: 1 }))
        .attempts;
      const detail = await getUploadAttempt(harness.db(), attempt?.id ?? "");
      expect(detail?.issues[0]).toMatchObject({ code: "PACKAGE_ID_RESERVED", level: "error" });
      expect(detail?.signatureReport).toMatchObject({ status: "unsigned" });
      expect(detail?.nuspecXml).toContain("<metadata>");
      expect(await getUploadAttempt(harness.db(), "no-such-attempt")).toBeNull();
    });
  });
});
