/** The package export condition that points at a package's TypeScript sources. */
export declare const SOURCE_CONDITION = 'escf-source';
/** Makes wrangler and the escf CLI (and child processes started after this) resolve @escf/* to sources. */
export declare function useEscfSources(): void;
