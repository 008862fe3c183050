// Signed notes (C2SP signed-note) with Ed25519 keys, and the key strings of Go's
// golang.org/x/mod/sumdb/note that tools for such logs already read:
//
//   verifier key  <name>+<key ID, 8 hex digits>+<base64(0x01 || 32-byte public key)>
//   signer key    PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>
//
// key ID = the first four bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian.
// A note is its text (ending in a newline), a blank line, and lines "— <name> <base64(key ID ||
// signature)>". Pure: keys and text in, text out.

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { sha256 } from "./merkle";

const ED25519 = 0x01;
const SIGNATURE_PREFIX = "\u2014 ";
// PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410), so node:crypto can load it.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
// SubjectPublicKeyInfo wrapping of a raw Ed25519 public key.
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const MAX_SIGNATURES = 16;
const MAX_NOTE_BYTES = 64 * 1024;

export class NoteError extends Error {
  override name = "NoteError";
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  publicKey: KeyObject;
  /** The raw 32-byte public key. */
  publicKeyBytes: Uint8Array;
}

export interface NoteSigner extends NoteVerifier {
  privateKey: KeyObject;
}

function checkKeyName(name: string): void {
  if (name === "" || /[\s+]/u.test(name))
    throw new NoteError(`a key name must be non-empty, with no spaces or '+': "${name}"`);
}

export function keyId(name: string, publicKey: Uint8Array): number {
  const digest = sha256(new TextEncoder().encode(`${name}\n`), Uint8Array.of(ED25519), publicKey);
  return new DataView(digest.buffer, digest.byteOffset).getUint32(0);
}

function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, "0");
}

function publicKeyFromBytes(bytes: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, bytes]), format: "der", type: "spki" });
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

function decodeStrictBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? new Uint8Array(bytes) : null;
}

/** `<name>+<key ID>+<base64 key>` split and checked: name, ID and the algorithm byte. */
function parseKeyString(text: string, what: string): { name: string; id: number; key: Uint8Array } {
  // The name holds no "+", but base64 may: the first two "+" are the separators.
  const trimmed = text.trim();
  const first = trimmed.indexOf("+");
  const second = trimmed.indexOf("+", first + 1);
  if (first < 0 || second < 0) throw new NoteError(`the ${what} must look like <name>+<8 hex digits>+<base64 key>`);
  const [name, idText, keyText] = [
    trimmed.slice(0, first),
    trimmed.slice(first + 1, second),
    trimmed.slice(second + 1),
  ];
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idText)) throw new NoteError(`the ${what}'s key ID must be 8 lower-case hex digits`);
  const decoded = decodeStrictBase64(keyText);
  if (!decoded || decoded.length !== 33 || decoded[0] !== ED25519)
    throw new NoteError(`the ${what} is not an Ed25519 key (0x01 followed by 32 bytes, in base64)`);
  return { name, id: Number.parseInt(idText, 16), key: decoded.subarray(1) };
}

export function parseVerifierKey(text: string): NoteVerifier {
  const { name, id, key } = parseKeyString(text, "log verifier key");
  if (keyId(name, key) !== id) throw new NoteError("the log verifier key's ID does not match its name and key");
  return { name, keyId: id, publicKey: publicKeyFromBytes(key), publicKeyBytes: key };
}

const SIGNER_PREFIX = "PRIVATE+KEY+";

export function parseSignerKey(text: string): NoteSigner {
  const trimmed = text.trim();
  if (!trimmed.startsWith(SIGNER_PREFIX)) throw new NoteError(`a log signing key starts with ${SIGNER_PREFIX}`);
  const { name, id, key: seed } = parseKeyString(trimmed.slice(SIGNER_PREFIX.length), "log signing key");
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  const publicKeyBytes = rawPublicKey(publicKey);
  if (keyId(name, publicKeyBytes) !== id)
    throw new NoteError("the log signing key's ID does not match its name and key");
  return { name, keyId: id, publicKey, publicKeyBytes, privateKey };
}

/** A new signer key string for `name`. */
export function generateSignerKey(name: string): string {
  checkKeyName(name);
  const { privateKey } = generateKeyPairSync("ed25519");
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  const seed = der.subarray(der.length - 32);
  const publicKeyBytes = rawPublicKey(createPublicKey(privateKey));
  return `${SIGNER_PREFIX}${name}+${keyIdHex(keyId(name, publicKeyBytes))}+${Buffer.concat([Uint8Array.of(ED25519), seed]).toString("base64")}`;
}

export function verifierKeyString(verifier: NoteVerifier): string {
  return `${verifier.name}+${keyIdHex(verifier.keyId)}+${Buffer.concat([Uint8Array.of(ED25519), verifier.publicKeyBytes]).toString("base64")}`;
}

function checkNoteCharacters(text: string): void {
  // Signed notes are UTF-8 with no control characters other than newline.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new NoteError("a note may not contain control characters other than newline");
}

export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith("\n")) throw new NoteError("a note's text ends with a newline");
  checkNoteCharacters(text);
  const signature = sign(null, Buffer.from(text, "utf8"), signer.privateKey);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signature]).toString("base64")}\n`;
}

/**
 * The text of a note signed by the verifier's key, following the signed-note rules: signatures
 * by other keys (another name or key ID) are ignored; a signature by this key must verify; and
 * at least one must. Throws NoteError saying what is wrong otherwise.
 */
export function openNote(note: string, verifier: NoteVerifier): string {
  if (Buffer.byteLength(note, "utf8") > MAX_NOTE_BYTES) throw new NoteError("the note is too large");
  checkNoteCharacters(note);
  if (!note.endsWith("\n")) throw new NoteError("the note does not end with a newline");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("the note has no blank line before its signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new NoteError("the note has too many signatures");
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX))
      throw new NoteError("a signature line does not start with an em dash and a space");
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.lastIndexOf(" ");
    const name = rest.slice(0, space);
    const blob = decodeStrictBase64(rest.slice(space + 1));
    if (space <= 0 || !blob || blob.length < 5) throw new NoteError("a signature line is malformed");
    const id = new DataView(blob.buffer, blob.byteOffset).getUint32(0);
    if (name !== verifier.name || id !== verifier.keyId) continue;
    if (!verify(null, Buffer.from(text, "utf8"), verifier.publicKey, blob.subarray(4))) {
      throw new NoteError(
        `the signature by ${verifier.name} does not verify: the note was changed or signed by another key`,
      );
    }
    verified = true;
  }
  if (!verified)
    throw new NoteError(`the note carries no signature by the key ${verifier.name}+${keyIdHex(verifier.keyId)}`);
  return text;
}
