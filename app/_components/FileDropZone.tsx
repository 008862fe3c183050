"use client";
// A file chooser that also takes a dropped file: the certificate and package upload forms.

import { useState, type DragEvent, type ReactNode } from "react";

interface FileDropZoneProps {
  /** Shown above the button, e.g. "Drop a .nupkg file here, or". */
  prompt: string;
  buttonLabel: string;
  accept: string;
  onFile: (file: File) => void;
  /** Under the button: limits and advice. */
  hint: ReactNode;
  /** The primary action of its page gets the filled button. */
  emphasis?: "primary" | "secondary";
}

const BUTTON_STYLES = {
  primary:
    "rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark focus-within:ring-2 focus-within:ring-accent focus-within:ring-offset-2",
  secondary:
    "rounded border border-slate-300 px-3 py-1 hover:border-accent focus-within:ring-2 focus-within:ring-accent",
};

export function FileDropZone({ prompt, buttonLabel, accept, onFile, hint, emphasis = "secondary" }: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  }

  return (
    <div
      data-dropzone
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      className={`rounded border-2 border-dashed text-center ${emphasis === "primary" ? "p-8" : "p-5 text-sm"} ${dragging ? "border-accent bg-brand-light" : "border-slate-300"}`}
    >
      <p>{prompt}</p>
      <label className={`mt-2 inline-block cursor-pointer ${BUTTON_STYLES[emphasis]}`}>
        {buttonLabel}
        <input
          type="file"
          accept={accept}
          className="sr-only"
          onChange={(event) => {
            const file = event.target.files?.[0];
            // Cleared so that choosing the same file again (say, after fixing it) is noticed.
            event.target.value = "";
            if (file) onFile(file);
          }}
        />
      </label>
      <p className="mt-2 text-xs text-slate-500">{hint}</p>
    </div>
  );
}
