import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKey, issueCertificate, type TestKey } from "@/test/support/pki";
import { checkNameConstraints } from "./name-constraints";

let key: TestKey;

beforeAll(async () => {
  key = await generateRsaKey();
});

const text = (type: 1 | 2 | 6, value: string) => new pkijs.GeneralName({ type, value });
const rfc822 = (value: string) => text(1, value);
const dns = (value: string) => text(2, value);
const uri = (value: string) => text(6, value);
const ip = (...bytes: number[]) =>
  new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(bytes) }) });
const directory = (organization: string) =>
  new pkijs.GeneralName({
    type: 4,
    value: new pkijs.RelativeDistinguishedNames({
      typesAndValues: [
        new pkijs.AttributeTypeAndValue({
          type: "2.5.4.10",
          value: new asn1js.PrintableString({ value: organization }),
        }),
      ],
    }),
  });

function constraints(permitted: pkijs.GeneralName[], excluded: pkijs.GeneralName[] = []): pkijs.NameConstraints {
  return new pkijs.NameConstraints({
    permittedSubtrees: permitted.map((base) => new pkijs.GeneralSubtree({ base })),
    excludedSubtrees: excluded.map((base) => new pkijs.GeneralSubtree({ base })),
  });
}

async function certificateNamed(...altNames: pkijs.GeneralName[]): Promise<pkijs.Certificate> {
  const extraExtensions =
    altNames.length > 0
      ? [new pkijs.Extension({ extnID: "2.5.29.17", extnValue: new pkijs.AltName({ altNames }).toSchema().toBER() })]
      : [];
  return (await issueCertificate({ commonName: "Name Test", key, extraExtensions })).certificate;
}

async function verdict(names: pkijs.GeneralName[], constraint: pkijs.NameConstraints): Promise<string> {
  const result = checkNameConstraints(await certificateNamed(...names), "CN=Name Test", constraint);
  return result.ok ? "ok" : `${result.kind} ${result.name}`;
}

describe("checkNameConstraints", () => {
  it("judges DNS names by label: a domain covers itself and names below it, a leading dot only names below it", async () => {
    expect(await verdict([dns("contoso.com")], constraints([dns("contoso.com")]))).toBe("ok");
    expect(await verdict([dns("Build.Contoso.com")], constraints([dns("contoso.com")]))).toBe("ok");
    expect(await verdict([dns("badcontoso.com")], constraints([dns("contoso.com")]))).toBe(
      "not-permitted badcontoso.com",
    );
    expect(await verdict([dns("contoso.com")], constraints([dns(".contoso.com")]))).toBe("not-permitted contoso.com");
  });

  it("judges e-mail addresses by mailbox, host or domain", async () => {
    expect(await verdict([rfc822("dev@contoso.com")], constraints([rfc822("contoso.com")]))).toBe("ok");
    expect(await verdict([rfc822("dev@mail.contoso.com")], constraints([rfc822(".contoso.com")]))).toBe("ok");
    expect(await verdict([rfc822("dev@contoso.com")], constraints([rfc822("ops@contoso.com")]))).toBe(
      "not-permitted dev@contoso.com",
    );
  });

  it("judges URIs by their host, and IP addresses by address and mask", async () => {
    expect(
      await verdict([uri("https://packages.contoso.com/feed")], constraints([dns("x.test")], [uri(".contoso.com")])),
    ).toBe("excluded https://packages.contoso.com/feed");
    expect(await verdict([ip(10, 1, 2, 3)], constraints([ip(10, 0, 0, 0, 255, 0, 0, 0)]))).toBe("ok");
    expect(await verdict([ip(192, 168, 0, 1)], constraints([ip(10, 0, 0, 0, 255, 0, 0, 0)]))).toBe(
      "not-permitted an IP address",
    );
  });

  it("judges the subject as a directory name, by leading RDNs, and leaves forms the constraints do not mention alone", async () => {
    expect(await verdict([], constraints([directory("Contoso")]))).toBe("not-permitted CN=Name Test");
    expect(await verdict([dns("contoso.com")], constraints([rfc822("contoso.com")]))).toBe("ok");
  });

  it("refuses rather than ignores a constraint of a form it cannot judge that meets a name of that form", async () => {
    const registeredId = new pkijs.GeneralName({ type: 8, value: "1.3.6.1.4.1.55555.7" });
    expect(await verdict([registeredId], constraints([registeredId]))).toMatch(/^unsupported /);
  });
});
