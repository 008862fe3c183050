// Where Signet is deliberately stricter than the NuGet client (`dotnet nuget verify --all`),
// case by case, with the reason. The differential test (test/interop/differential.test.ts)
// holds every case named here to exactly this row: the client must still say `client`
// (so a row cannot outlive the difference it records) and Signet must say `signet`. Every
// other case must agree with the client: same verdict, and the client's first code first.

export interface StrictnessRow {
  /** The differential case's name (test/interop/differential/cases.ts). */
  case: string;
  /** The client's verdict: "valid", or its first error code. */
  client: string;
  /** Signet's first error code. */
  signet: string;
  reason: string;
}

export const DELIBERATE_STRICTNESS: readonly StrictnessRow[] = [];
