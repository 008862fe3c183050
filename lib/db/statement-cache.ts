// Prisma's SQLite driver adapter prepares every statement anew on each call (better-sqlite3 keeps
// no cache of its own), and compiling a search's statements, a dozen subqueries each, cost a
// millisecond a search at 500k packages: as much as running some of them. The query engine the
// adapters replaced kept prepared statements; this keeps them again, per connection, most recently
// used first. A cached statement is bound anew on each call (better-sqlite3 binds a statement's
// parameters once for good, so the adapter's `prepare(sql).bind(args)` gets a view that passes them
// at each run instead). SQLite re-prepares a statement itself when the schema changed under it.
import Database from "better-sqlite3";

/** Distinct statements kept per connection; the gallery sends a few hundred shapes at most. */
const CACHED_STATEMENTS = 500;

/** What the adapter uses of a statement it prepared and bound: see its performIO and executeIO. */
interface BoundStatement {
  readonly reader: boolean;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
  run(): Database.RunResult;
}

class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly prepareAnew: (sql: string) => Database.Statement,
    private readonly size: number,
  ) {}

  prepare(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Most recently used last, so the first is the one to drop.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.prepareAnew(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.size) {
      const [oldest] = this.statements.keys();
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }
}

function bound(statement: Database.Statement, args: readonly unknown[]): BoundStatement {
  return {
    reader: statement.reader,
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
    run: () => statement.run(...args),
  };
}

/** Makes the connection's `prepare` return cached statements, each bound anew on each call. */
export function cacheStatements(client: Database.Database, size = CACHED_STATEMENTS): void {
  const cache = new StatementCache(
    Database.prototype.prepare.bind(client) as (sql: string) => Database.Statement,
    size,
  );
  const prepare = (sql: string) => {
    const statement = cache.prepare(sql);
    return {
      reader: statement.reader,
      bind: (args: readonly unknown[]) => bound(statement, args),
      run: () => statement.run(),
    };
  };
  Object.assign(client, { prepare });
}
