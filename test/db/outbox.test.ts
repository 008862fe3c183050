// The outbox (issue 17): email-worthy events are rows first, told once, and sent by SMTP when
// SIGNET_SMTP_URL is set, through nodemailer, to a local SMTP sink this test runs on 127.0.0.1.
// Events here: a certificate about to expire (30 and 7 days before, once each, proven
// registrations only) and a certificate marked compromised (its registrants, the holders of a
// signer identity it signed under, the owners of packages it signed).
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markCertificateCompromised } from "@/lib/admin/certificates";
import { queueExpiryWarnings } from "@/lib/identity/expiry";
import { configuredTransport, deliverOutbox } from "@/lib/outbox/delivery";
import { outboxRound } from "@/lib/jobs/outbox-housekeeping";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { createPublishedVersion, fixtureSha512 } from "@/test/support/published-version";
import { smtpSink } from "@/test/support/smtp-sink";

const DAY = 86_400_000;

describe.each(testDialects())("the outbox on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const sink = smtpSink(new Set(["bounce@example.test"]));
  let smtpUrl = "";

  beforeAll(async () => {
    sink.server.listen(0, "127.0.0.1");
    await once(sink.server, "listening");
    smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    sink.server.close();
  });

  async function user(username: string) {
    return (await database().user.create({ data: { email: `${username}@example.test`, username } })).id;
  }

  it("warns a proven registration 30 and 7 days before its certificate expires, once each, and never an unproven one", async () => {
    const db = database();
    const [proven, unproven] = [await user("expiring"), await user("unproven")];
    const now = new Date("2026-12-01T00:00:00Z");
    const certificate = await db.certificate.create({
      data: {
        sha256Fingerprint: "a1".repeat(32),
        subject: "CN=Soon Gone",
        notAfter: new Date(now.getTime() + 20 * DAY),
      },
    });
    await db.registeredCertificate.create({
      data: { userId: proven, certificateId: certificate.id, provenBy: "CHALLENGE", provenAt: now },
    });
    await db.registeredCertificate.create({ data: { userId: unproven, certificateId: certificate.id } });

    expect(await queueExpiryWarnings(db, now)).toBe(1);
    expect(await queueExpiryWarnings(db, new Date(now.getTime() + DAY))).toBe(0);
    expect(await queueExpiryWarnings(db, new Date(now.getTime() + 14 * DAY))).toBe(1);
    const messages = await db.outboxMessage.findMany({
      where: { kind: "certificate.expiring" },
      orderBy: { createdAt: "asc" },
    });
    expect(messages.map((message) => [message.userId, message.subject])).toEqual([
      [proven, "Your signing certificate expires within 30 days"],
      [proven, "Your signing certificate expires within 7 days"],
    ]);
    expect(messages[0]?.body).toContain("expires on 2026-12-21");
  });

  it("tells the registrants, identity holders and package owners of a certificate marked compromised, each once", async () => {
    const db = database();
    const [registrant, identityHolder, owner, bystander] = [
      await user("registrant"),
      await user("holder"),
      await user("owner"),
      await user("bystander"),
    ];
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: "b2".repeat(32), subject: "CN=Leaked Key" },
    });
    await db.registeredCertificate.create({
      data: { userId: registrant, certificateId: certificate.id, provenBy: "CHALLENGE", provenAt: new Date() },
    });
    const identity = await db.signerIdentity.create({
      data: {
        userId: identityHolder,
        kind: "ISSUER_SUBJECT",
        caFingerprint: "c3".repeat(32),
        subjectFields: '[{"type":"CN","value":"Leaked Key"}]',
        matchKey: "leaked",
      },
    });
    await db.signerIdentityCertificate.create({ data: { identityId: identity.id, certificateId: certificate.id } });
    const registration = await db.packageRegistration.create({
      data: {
        packageId: "Leaky.Lib",
        packageIdLower: "leaky.lib",
        owners: { create: [{ userId: owner }, { userId: registrant }] },
      },
    });
    await createPublishedVersion(db, {
      registrationId: registration.id,
      version: "1.0.0",
      versionLower: "1.0.0",
      originalVersion: "1.0.0",
      isPrerelease: false,
      isSemVer2: false,
      description: "Leaky.Lib",
      authors: "Contoso",
      nuspecXml: "<package />",
      storageKey: "packages/leaky.lib/1.0.0.nupkg",
      packageSize: 1024,
      sha512: fixtureSha512("Leaky.Lib/1.0.0"),
      contentHash: "Y29udGVudA==",
      signatureStatus: "VALID",
      signerCertificateId: certificate.id,
      provenSigningTime: new Date("2026-11-01T00:00:00Z"),
      provenSigningTimeSource: "RECEIVED",
      publisherId: registrant,
      publishedAt: new Date("2026-11-01T00:00:00Z"),
    });
    const admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } }))
      .id;

    await markCertificateCompromised(db, admin, certificate.id, {
      compromisedAt: "2026-11-05T10:00:00.000Z",
      reason: "private key published",
    });
    const told = await db.outboxMessage.findMany({
      where: { kind: "certificate.compromised" },
      select: { userId: true, subject: true, body: true },
    });
    expect(told.map((message) => message.userId).sort()).toEqual([registrant, identityHolder, owner].sort());
    expect(told.some((message) => message.userId === bystander)).toBe(false);
    expect(told[0]?.subject).toBe("Certificate marked compromised: CN=Leaked Key");
    expect(told[0]?.body).toContain("compromised from 2026-11-05T10:00:00.000Z: private key published");
  });

  it("sends unsent messages by SMTP when configured, keeps a refused one with its error, and sends nothing without configuration", async () => {
    const db = database();
    await db.outboxMessage.deleteMany();
    const [reader, bouncer] = [
      await user("reader"),
      (await db.user.create({ data: { email: "bounce@example.test", username: "bouncer" } })).id,
    ];
    await db.outboxMessage.create({
      data: {
        userId: reader,
        kind: "signer.new",
        subject: "New signer on Contoso.Lib",
        body: "Contoso.Lib 2.0.0 is signed with a new certificate.",
      },
    });
    await db.outboxMessage.create({
      data: {
        userId: bouncer,
        kind: "signer.new",
        subject: "New signer on Bounce.Lib",
        body: "Bounce.Lib 1.0.0 is signed with a new certificate.",
      },
    });

    expect(configuredTransport({})).toBeNull();
    expect(await deliverOutbox(db, configuredTransport({}))).toBe(0);
    expect(sink.received).toHaveLength(0);

    const sentAt = new Date("2026-12-01T12:00:00Z");
    const mail = configuredTransport({ SIGNET_SMTP_URL: smtpUrl, SIGNET_MAIL_FROM: "Signet <gallery@example.test>" });
    expect(await deliverOutbox(db, mail, () => sentAt)).toBe(1);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]).toMatchObject({ from: "gallery@example.test", to: ["reader@example.test"] });
    expect(sink.received[0]?.data).toContain("Subject: New signer on Contoso.Lib");
    expect(sink.received[0]?.data).toContain("Contoso.Lib 2.0.0 is signed with a new certificate.");

    const rows = await db.outboxMessage.findMany({
      orderBy: { subject: "asc" },
      select: { subject: true, sentAt: true, sendError: true },
    });
    expect(rows[0]).toMatchObject({ subject: "New signer on Bounce.Lib", sentAt: null });
    expect(rows[0]?.sendError).toContain("550");
    expect(rows[1]).toMatchObject({ subject: "New signer on Contoso.Lib", sentAt, sendError: null });
    // The next round sends nothing again; the refused one is tried again and refused again.
    expect(await deliverOutbox(db, mail)).toBe(0);
    expect(sink.received).toHaveLength(1);
  });

  it("purges possession challenges a day after they expire, answered or not, on the timer's round", async () => {
    const db = database();
    const owner = await user("challenged");
    const certificate = await db.certificate.create({ data: { sha256Fingerprint: "d4".repeat(32) } });
    const registration = await db.registeredCertificate.create({
      data: { userId: owner, certificateId: certificate.id },
    });
    const now = new Date("2026-12-01T12:00:00Z");
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const challenges: [string, Date, Date | null][] = [
      ["open", new Date(now.getTime() + 3_600_000), null],
      ["expired-recently", hoursAgo(2), null],
      ["answered-recently", hoursAgo(1), hoursAgo(1.5)],
      ["expired-long-ago", hoursAgo(25), null],
      ["answered-long-ago", hoursAgo(48), hoursAgo(48.5)],
    ];
    for (const [id, expiresAt, answeredAt] of challenges) {
      await db.possessionChallenge.create({
        data: { id, userId: owner, registrationId: registration.id, nonce: id, expiresAt, answeredAt },
      });
    }
    await outboxRound(db, null, now);
    const kept = await db.possessionChallenge.findMany({
      where: { userId: owner },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    expect(kept.map((challenge) => challenge.id)).toEqual(["answered-recently", "expired-recently", "open"]);
  });
});
