// A plain GET form, so searching works without JavaScript and results have shareable URLs.
export function SearchBox({ size = "compact", defaultValue }: { size?: "compact" | "large"; defaultValue?: string }) {
  const large = size === "large";
  return (
    <form action="/packages" method="get" role="search" className="flex w-full">
      <label htmlFor={`search-${size}`} className="sr-only">
        Search packages
      </label>
      <input
        id={`search-${size}`}
        name="q"
        type="search"
        defaultValue={defaultValue}
        placeholder="Search packages..."
        className={`min-w-0 flex-1 rounded-l border border-slate-300 bg-white text-slate-900 focus:border-accent focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-400 ${large ? "px-4 py-3 text-lg" : "px-3 py-1.5 text-sm"}`}
      />
      <button
        type="submit"
        className={`rounded-r bg-accent font-medium text-white hover:bg-brand focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-400 ${large ? "px-5 text-lg" : "px-3 text-sm"}`}
      >
        Search
      </button>
    </form>
  );
}
