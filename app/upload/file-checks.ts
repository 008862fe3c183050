// What the browser can say about a chosen file before sending it: only what is known without
// reading it. Everything else (is it a zip, a package, signed...) is the server's judgement.
import { formatSize } from "@/lib/validation/rules/wording";

/** A sentence saying why the file cannot go up, or null when it may. */
export function problemWithFile(file: { name: string; size: number }, maxBytes: number): string | null {
  if (!file.name.toLowerCase().endsWith(".nupkg"))
    return `'${file.name}' is not a .nupkg file. Choose a NuGet package (a file ending in .nupkg).`;
  if (file.size === 0)
    return `'${file.name}' is empty (0 bytes). Choose the package file again, or rebuild it with dotnet pack.`;
  if (file.size > maxBytes) {
    return `'${file.name}' is ${formatSize(file.size)} (${file.size.toLocaleString("en-US")} bytes), above this gallery's limit of ${formatSize(maxBytes)}.`;
  }
  return null;
}
