import { describe, expect, it } from "vitest";
import { signerProof } from "./signer-proof";

const authorization = (username: string, extra: object = {}) =>
  JSON.stringify({
    userId: "u",
    username,
    via: "certificate",
    registrationId: "r",
    identityLabel: null,
    proof: "CHALLENGE",
    provesNow: false,
    ...extra,
  });

describe("signerProof", () => {
  it("says whether the uploading account itself proved the signer, and how", () => {
    expect(signerProof(authorization("alice"), "alice")).toMatchObject({
      by: "uploader",
      sentence: expect.stringContaining("proven by the uploading account 'alice'"),
    });
    expect(signerProof(authorization("bob", { proof: "FIRST_PUSH" }), "alice")).toMatchObject({
      by: "owner",
      sentence: expect.stringMatching(
        /not proven by the uploading account 'alice', but by the owner 'bob'.*first push/,
      ),
    });
    expect(
      signerProof(authorization("alice", { via: "identity", identityLabel: "CN=Contoso under CA AB…" }), "alice"),
    ).toMatchObject({ identityLabel: "CN=Contoso under CA AB…" });
  });

  it("says when nothing is on record, for old versions, approvals and unreadable text", () => {
    expect(signerProof(null, "alice").by).toBe("none");
    expect(signerProof("{not json", "alice").by).toBe("none");
  });
});
