// Signed notes and checkpoints. Signing uses node:crypto (OpenSSL); the independent check below
// reads the note by hand, following the signed-note rules, and verifies the Ed25519 signature
// with @noble/ed25519 over @noble/hashes (pure JavaScript, no OpenSSL). The Go reference
// implementation's published example (golang.org/x/mod/sumdb/note) pins the formats byte for byte.
import * as noble from "@noble/ed25519";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { openCheckpoint, parseCheckpointText, signCheckpoint } from "./checkpoint";
import { EMPTY_TREE_ROOT, leafHash } from "./merkle";
import {
  generateSignerKey,
  NoteError,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyString,
} from "./note";

noble.hashes.sha512 = nobleSha512;

const GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

/**
 * An independent verifier, written from the C2SP signed-note text: the last blank line splits
 * text from signatures; a signature line is em dash, space, key name, space, base64 of
 * (4-byte big-endian key ID || Ed25519 signature over the text); the key ID is
 * SHA-256(name || "\n" || 0x01 || public key)[:4].
 */
function independentlyVerify(note: string, verifierKey: string): { text: string; verified: boolean } {
  const [, name, idHex, keyBase64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey) as unknown as [
    string,
    string,
    string,
    string,
  ];
  const keyBytes = Uint8Array.from(Buffer.from(keyBase64, "base64"));
  expect(keyBytes[0]).toBe(0x01);
  const publicKey = keyBytes.subarray(1);
  const encoder = new TextEncoder();
  const idInput = new Uint8Array([...encoder.encode(`${name}\n`), 0x01, ...publicKey]);
  expect(Buffer.from(nobleSha256(idInput).subarray(0, 4)).toString("hex")).toBe(idHex);
  const split = note.lastIndexOf("\n\n");
  const text = note.slice(0, split + 1);
  let verified = false;
  for (const line of note.slice(split + 2, -1).split("\n")) {
    expect(line.startsWith("\u2014 ")).toBe(true);
    const [lineName, blob] = line.slice(2).split(" ") as [string, string];
    const signature = Uint8Array.from(Buffer.from(blob, "base64"));
    if (lineName !== name || Buffer.from(signature.subarray(0, 4)).toString("hex") !== idHex) continue;
    verified = noble.verify(signature.subarray(4), encoder.encode(text), publicKey);
  }
  return { text, verified };
}

describe("signed notes", () => {
  it("reproduces the Go reference example: key ID, verifier key and the signed note byte for byte", () => {
    const signer = parseSignerKey(GO_SIGNER_KEY);
    expect(signer.name).toBe("PeterNeumann");
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(verifierKeyString(signer)).toBe(GO_VERIFIER_KEY);
    expect(signNote(GO_TEXT, signer)).toBe(GO_NOTE);
    expect(openNote(GO_NOTE, parseVerifierKey(GO_VERIFIER_KEY))).toBe(GO_TEXT);
  });

  it("signs notes that an independent Ed25519 implementation verifies, and that it refuses once changed", () => {
    const signer = parseSignerKey(generateSignerKey("gallery.example/log"));
    const note = signNote("gallery.example/log\n3\nAAAA\n", signer);
    expect(independentlyVerify(note, verifierKeyString(signer))).toEqual({
      text: "gallery.example/log\n3\nAAAA\n",
      verified: true,
    });
    expect(independentlyVerify(note.replace("\n3\n", "\n4\n"), verifierKeyString(signer)).verified).toBe(false);
  });

  it("refuses a changed note, another key's signature, and malformed notes, with a reason", () => {
    const signer = parseSignerKey(generateSignerKey("gallery.example/log"));
    const other = parseSignerKey(generateSignerKey("gallery.example/log"));
    const verifier = parseVerifierKey(verifierKeyString(signer));
    const note = signNote("hello\n", signer);
    expect(() => openNote(note.replace("hello", "hellO"), verifier)).toThrow(/does not verify/);
    expect(() => openNote(signNote("hello\n", other), verifier)).toThrow(/no signature by the key/);
    expect(() => openNote("hello\n", verifier)).toThrow(NoteError);
    expect(() => openNote(`${note.slice(0, -1)}`, verifier)).toThrow(/newline/);
    expect(() => openNote(note.replace("\u2014 ", "- "), verifier)).toThrow(/em dash/);
    expect(() => openNote(note.replace("hello", "hel\u0007lo"), verifier)).toThrow(/control characters/);
    // A signature by another key is ignored when the pinned key's own signature is there too.
    const both = `${note}${signNote("hello\n", other).split("\n\n")[1]}`;
    expect(openNote(both, verifier)).toBe("hello\n");
  });

  it("refuses key strings whose ID does not match, or that are not Ed25519", () => {
    expect(() => parseVerifierKey(GO_VERIFIER_KEY.replace("c74f20a3", "c74f20a4"))).toThrow(/does not match/);
    expect(() => parseVerifierKey("PeterNeumann+c74f20a3+AhpczQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).toThrow(
      NoteError,
    );
    expect(() => parseVerifierKey("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).toThrow(
      /no spaces/,
    );
    expect(() => parseSignerKey(GO_VERIFIER_KEY)).toThrow(/PRIVATE\+KEY/);
  });
});

describe("checkpoints", () => {
  const signer = parseSignerKey(generateSignerKey("gallery.example/log"));
  const verifier = parseVerifierKey(verifierKeyString(signer));

  it("signs the three C2SP lines, which the independent verifier accepts", () => {
    const root = leafHash(new TextEncoder().encode("entry"));
    const note = signCheckpoint({ origin: "gallery.example/log", size: 1, root }, signer);
    expect(note.split("\n").slice(0, 4)).toEqual([
      "gallery.example/log",
      "1",
      Buffer.from(root).toString("base64"),
      "",
    ]);
    expect(independentlyVerify(note, verifierKeyString(signer)).verified).toBe(true);
    expect(openCheckpoint(note, verifier)).toEqual({ origin: "gallery.example/log", size: 1, root });
  });

  it("refuses a checkpoint of another origin, or with a malformed size or root", () => {
    expect(() => signCheckpoint({ origin: "other.example/log", size: 0, root: EMPTY_TREE_ROOT }, signer)).toThrow(
      /origin/,
    );
    const root = Buffer.from(EMPTY_TREE_ROOT).toString("base64");
    expect(() => parseCheckpointText(`o\n01\n${root}\n`)).toThrow(/size/);
    expect(() => parseCheckpointText(`o\n-1\n${root}\n`)).toThrow(/size/);
    expect(() => parseCheckpointText(`o\n1\n${root.slice(4)}\n`)).toThrow(/root/);
    expect(() => parseCheckpointText(`o\n1\n${root}\nextension\n`)).toThrow(/three lines/);
    expect(parseCheckpointText(`o\n0\n${root}\n`).size).toBe(0);
  });
});
