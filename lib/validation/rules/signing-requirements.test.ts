import { describe, expect, it } from "vitest";
import type { SignerFacts } from "@/lib/validation/rules/signer-rules";
import {
  authorizeSigner,
  describeSigningPolicy,
  judgeSigningRequirements,
  type SigningAccount,
} from "./signing-requirements";

const CERT_A = "a".repeat(64);
const CERT_B = "b".repeat(64);
const CERT_X = "c".repeat(64);

/** An account whose certificates are registered and proven by a challenge. */
function account(username: string, fingerprints: string[]): SigningAccount {
  return {
    userId: `u-${username}`,
    username,
    signers: fingerprints.map((fingerprint, index) => ({
      kind: "certificate",
      id: `r-${username}-${index}`,
      fingerprint,
      proof: "CHALLENGE",
    })),
  };
}

/** A signer the gallery has seen before, so a push proves nothing. */
function seen(fingerprint: string): SignerFacts {
  return { fingerprint, caFingerprints: [], identity: null, certificateFirstSeen: false, identitiesSeen: new Set() };
}

const alice = account("alice", [CERT_A]);
const bob = account("bob", [CERT_B]);
const carol = account("carol", []);

function codes(issues: { code: string }[]): string[] {
  return issues.map((issue) => issue.code);
}

describe("judgeSigningRequirements without a required signer", () => {
  it("single owner without certificates: unsigned passes, any author signature is refused", () => {
    const owners = [carol];
    expect(judgeSigningRequirements({ owners, signatureKind: "unsigned" })).toEqual([]);
    const [issue] = judgeSigningRequirements({ owners, signatureKind: "author", signer: seen(CERT_X) });
    expect(issue).toMatchObject({ code: "SIGNER_NOT_REGISTERED", level: "error" });
    expect(issue?.message).toBe(
      `The package was signed with certificate ${CERT_X}, which is not registered to any owner of the package ('carol'). An owner must register this certificate on their account before packages signed with it are accepted.`,
    );
  });

  it("single owner with a certificate: only that certificate passes", () => {
    const owners = [alice];
    expect(judgeSigningRequirements({ owners, signatureKind: "author", signer: seen(CERT_A) })).toEqual([]);
    expect(codes(judgeSigningRequirements({ owners, signatureKind: "author", signer: seen(CERT_B) }))).toEqual([
      "SIGNER_NOT_REGISTERED",
    ]);
    expect(judgeSigningRequirements({ owners, signatureKind: "unsigned" })).toEqual([
      {
        code: "PACKAGE_NOT_SIGNED",
        level: "error",
        message:
          "This package must be signed with a certificate registered to 'alice', because every owner of the package has registered a certificate.",
      },
    ]);
  });

  it("counts a repository-only signature as unsigned and says so", () => {
    const [issue] = judgeSigningRequirements({ owners: [alice], signatureKind: "repository-only" });
    expect(issue?.code).toBe("PACKAGE_NOT_SIGNED");
    expect(issue?.message).toContain("A repository signature alone does not count");
    expect(judgeSigningRequirements({ owners: [carol], signatureKind: "repository-only" })).toEqual([]);
  });

  it("mixed owners: unsigned passes, and a certificate of any owner passes", () => {
    const owners = [alice, carol, bob];
    expect(judgeSigningRequirements({ owners, signatureKind: "unsigned" })).toEqual([]);
    expect(judgeSigningRequirements({ owners, signatureKind: "author", signer: seen(CERT_B) })).toEqual([]);
    const [issue] = judgeSigningRequirements({ owners, signatureKind: "author", signer: seen(CERT_X) });
    expect(issue?.message).toContain("not registered to any owner of the package ('alice', 'carol' or 'bob')");
  });

  it("all owners with certificates: unsigned is refused and names every owner", () => {
    const [issue] = judgeSigningRequirements({ owners: [alice, bob], signatureKind: "unsigned" });
    expect(issue?.message).toContain("registered to 'alice' or 'bob', because every owner");
  });

  it("compares fingerprints without regard to case or colon separators", () => {
    const spelled = CERT_A.toUpperCase().match(/../g)?.join(":") ?? "";
    expect(judgeSigningRequirements({ owners: [alice], signatureKind: "author", signer: seen(spelled) })).toEqual([]);
  });
});

describe("judgeSigningRequirements with a required signer", () => {
  it("accepts only the required signer's certificates, even when another owner registered the one used", () => {
    const input = { owners: [alice, bob], requiredSigner: alice };
    expect(judgeSigningRequirements({ ...input, signatureKind: "author", signer: seen(CERT_A) })).toEqual([]);
    const [issue] = judgeSigningRequirements({ ...input, signatureKind: "author", signer: seen(CERT_B) });
    expect(issue).toMatchObject({ code: "SIGNER_NOT_REGISTERED" });
    expect(issue?.message).toBe(
      `The package was signed with certificate ${CERT_B}, which is not registered to 'alice', the package's required signer. Sign with a certificate registered to 'alice', or have 'alice' register this one.`,
    );
  });

  it("refuses unsigned packages when the required signer has certificates, even if another owner has none", () => {
    expect(
      judgeSigningRequirements({ owners: [alice, carol], requiredSigner: alice, signatureKind: "unsigned" }),
    ).toEqual([
      {
        code: "PACKAGE_NOT_SIGNED",
        level: "error",
        message: "This package must be signed with a certificate registered to 'alice'.",
      },
    ]);
  });

  it("a required signer without certificates: unsigned passes and every author signature is refused", () => {
    const input = { owners: [alice, carol], requiredSigner: carol };
    expect(judgeSigningRequirements({ ...input, signatureKind: "unsigned" })).toEqual([]);
    const [issue] = judgeSigningRequirements({ ...input, signatureKind: "author", signer: seen(CERT_A) });
    expect(issue?.message).toBe(
      `The package was signed with certificate ${CERT_A}, but 'carol', the package's required signer, has registered no certificate, so signed packages are refused. 'carol' must register this certificate, or the package must be pushed unsigned.`,
    );
  });

  it("still applies when the required signer is no longer an owner", () => {
    const input = { owners: [carol], requiredSigner: bob };
    expect(codes(judgeSigningRequirements({ ...input, signatureKind: "unsigned" }))).toEqual(["PACKAGE_NOT_SIGNED"]);
    expect(judgeSigningRequirements({ ...input, signatureKind: "author", signer: seen(CERT_B) })).toEqual([]);
  });
});

describe("describeSigningPolicy", () => {
  it.each([
    [
      "one owner without certificates",
      { owners: [carol] },
      true,
      [],
      "Unsigned packages are accepted; signed packages are refused until an owner registers the signing certificate.",
    ],
    [
      "one owner with a certificate",
      { owners: [alice] },
      false,
      ["alice"],
      "Packages must be signed with a certificate registered to 'alice'.",
    ],
    [
      "mixed owners",
      { owners: [alice, carol] },
      true,
      ["alice"],
      "Packages may be unsigned, or signed with a certificate registered to 'alice'.",
    ],
    [
      "owners all with certificates",
      { owners: [alice, bob] },
      false,
      ["alice", "bob"],
      "Packages must be signed with a certificate registered to 'alice' or 'bob'.",
    ],
    [
      "a required signer with certificates",
      { owners: [alice, bob], requiredSigner: bob },
      false,
      ["bob"],
      "Packages must be signed with a certificate registered to 'bob'.",
    ],
    [
      "a required signer without certificates",
      { owners: [alice, carol], requiredSigner: carol },
      true,
      [],
      "Packages must be unsigned: 'carol' is the required signer but has registered no certificate.",
    ],
    [
      "no owners at all (signing required vacuously, as on nuget.org)",
      { owners: [] },
      false,
      [],
      "No package can be accepted: the package has no owners, so nobody may sign it.",
    ],
  ])("%s", (_case, input, acceptsUnsigned, signers, sentence) => {
    const policy = describeSigningPolicy(input);
    expect(policy.acceptsUnsigned).toBe(acceptsUnsigned);
    expect(policy.acceptedSigners.map((account) => account.username)).toEqual(signers);
    expect(policy.sentence).toBe(sentence);
  });

  it("refuses everything for a package left without owners, with the policy's sentence", () => {
    expect(judgeSigningRequirements({ owners: [], signatureKind: "unsigned" })).toEqual([
      {
        code: "PACKAGE_NOT_SIGNED",
        level: "error",
        message: "No package can be accepted: the package has no owners, so nobody may sign it.",
      },
    ]);
    expect(judgeSigningRequirements({ owners: [], signatureKind: "author", signer: seen(CERT_A) })).toEqual([
      {
        code: "SIGNER_NOT_REGISTERED",
        level: "error",
        message: `The package was signed with certificate ${CERT_A}, but the package has no owners who could register it.`,
      },
    ]);
  });
});

describe("proof of possession", () => {
  const unproven: SigningAccount = {
    userId: "u-dave",
    username: "dave",
    signers: [{ kind: "certificate", id: "r-dave", fingerprint: CERT_A, proof: null }],
  };

  it("an unproven registration passes the first push the gallery sees signed with the key, which proves it", () => {
    const signer = { ...seen(CERT_A), certificateFirstSeen: true };
    expect(judgeSigningRequirements({ owners: [unproven], signatureKind: "author", signer })).toEqual([]);
    expect(authorizeSigner({ owners: [unproven], signatureKind: "author", signer })).toMatchObject({
      userId: "u-dave",
      via: "certificate",
      registrationId: "r-dave",
      proof: "FIRST_PUSH",
      provesNow: true,
    });
  });

  it("once the gallery has seen the key, an unproven registration is refused with its own sentence", () => {
    const [issue] = judgeSigningRequirements({ owners: [unproven], signatureKind: "author", signer: seen(CERT_A) });
    expect(issue?.code).toBe("SIGNER_NOT_PROVEN");
    expect(issue?.message).toContain("'dave' registered this certificate but has not proven holding its private key");
    expect(authorizeSigner({ owners: [unproven], signatureKind: "author", signer: seen(CERT_A) })).toBeNull();
  });

  it("a proven registration of another owner lets the signer through, and says whose", () => {
    expect(authorizeSigner({ owners: [unproven, alice], signatureKind: "author", signer: seen(CERT_A) })).toMatchObject(
      { username: "alice", proof: "CHALLENGE", provesNow: false },
    );
  });
});
