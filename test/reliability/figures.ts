// Figures each test file reports (console.table in afterAll), so a run shows
// how much was tried and verified, not only that it passed.

/** One row of the summary table. */
export interface Figure {
  readonly scenario: string;
  readonly tried: number;
  readonly accepted?: number;
  readonly rejected?: number;
  readonly faults?: number;
  readonly eventsVerified?: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpectedErrors?: number;
}

/** Collects figures and prints them as one table. */
export class Figures {
  private readonly rows: Figure[] = [];

  constructor(private readonly title: string) {}

  add(figure: Figure): void {
    this.rows.push(figure);
  }

  print(): void {
    if (this.rows.length === 0) return;
    // A plain text table: workerd's console.table does not reach vitest's output.
    const columns = [
      'scenario',
      'tried',
      'accepted',
      'rejected',
      'faults',
      'eventsVerified',
      'lost',
      'duplicated',
      'unexpectedErrors',
    ] as const;
    const cells = [
      columns.map(String),
      ...this.rows.map((row) => columns.map((c) => (row[c] === undefined ? '' : String(row[c])))),
    ];
    const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
    const lines = cells.map((line) =>
      line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | '),
    );
    console.log(
      [`[reliability] ${this.title}`, lines[0], widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.slice(1)].join(
        '\n',
      ),
    );
  }
}
