/** The repository's root folder. */
export declare const repoRoot: string;
/** The public (not private) packages under packages/, in dependency order. */
export declare const PUBLIC_PACKAGES: readonly string[];
/** What `npm pack` reported for one tarball. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the .tgz file. */
  readonly tarball: string;
  /** Bytes, gzipped. */
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}
/** Runs `npm pack` for the public packages into `destination` (each builds its dist/ first). */
export declare function packPublicPackages(destination: string): PackedPackage[];
/** The package.json of a public package in this repository. */
export declare function packageManifest(name: string): Record<string, unknown>;
