// C2SP tlog-checkpoint: the note text "<origin>\n<tree size>\n<base64 root hash>\n", signed as a
// signed note by the log's key, whose name is the origin. Pure.

import { HASH_SIZE, type Hash } from "./merkle";
import { NoteError, openNote, signNote, type NoteSigner, type NoteVerifier } from "./note";

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
}

export function checkpointText({ origin, size, root }: Checkpoint): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString("base64")}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  if (checkpoint.origin !== signer.name)
    throw new NoteError(`the log key is named ${signer.name}, but the checkpoint's origin is ${checkpoint.origin}`);
  return signNote(checkpointText(checkpoint), signer);
}

/** Parses checkpoint text strictly: three lines, a size without leading zeros, a 32-byte root (extension lines are refused: this log writes none). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split("\n");
  if (lines.length !== 4 || lines[3] !== "")
    throw new NoteError("a checkpoint is exactly three lines: origin, tree size and root hash");
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === "") throw new NoteError("the checkpoint has no origin");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    throw new NoteError("the checkpoint's tree size is not a decimal number");
  const root = Buffer.from(rootText, "base64");
  if (root.length !== HASH_SIZE || root.toString("base64") !== rootText)
    throw new NoteError("the checkpoint's root hash is not 32 bytes of base64");
  return { origin, size: Number(sizeText), root: new Uint8Array(root) };
}

/** Opens a signed checkpoint with the pinned key; its origin must be the key's name. */
export function openCheckpoint(note: string, verifier: NoteVerifier): Checkpoint {
  const checkpoint = parseCheckpointText(openNote(note, verifier));
  if (checkpoint.origin !== verifier.name)
    throw new NoteError(`the checkpoint is for the log ${checkpoint.origin}, not ${verifier.name}`);
  return checkpoint;
}
