import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="space-y-3 py-10 text-center">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="text-slate-600">Your account does not have permission to see this page.</p>
      <p>
        <Link href="/">Back to the home page</Link>
      </p>
    </div>
  );
}
