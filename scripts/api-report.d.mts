/** One entry point of a public package. */
export interface EntryPoint {
  readonly packageName: string;
  /** The `exports` key: `.` or `./subpath`. */
  readonly subpath: string;
  readonly packageDir: string;
  /** The built declaration file of the entry point. */
  readonly types: string;
  /** packages/<package>/etc/<reportName>.api.md */
  readonly reportName: string;
}
/** What api-extractor found for one entry point. */
export interface ApiOutcome {
  readonly entry: EntryPoint;
  readonly succeeded: boolean;
  /** The surface differs from the checked-in report. */
  readonly reportChanged: boolean;
  readonly errors: readonly string[];
  readonly reportPath: string;
}
/** Every public package's entry points, from their `exports`. */
export declare function entryPoints(): EntryPoint[];
/** Runs api-extractor for one entry point; with `update`, rewrites its report. */
export declare function extractApi(entry: EntryPoint, options?: { update?: boolean }): ApiOutcome;
