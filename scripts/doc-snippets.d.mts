/** A TypeScript block with its optional marker: groups 1 marker, 2 reference, 3 language, 4 code. */
export declare const tsBlock: RegExp;
/** The Markdown files whose blocks are compiled snippets: the README and docs/*.md. */
export declare function markdownFiles(root: string): string[];
/** The code `reference` (`path` or `path#region`, relative to `root`) stands for. Throws on a missing region. */
export declare function snippetSource(root: string, reference: string): string;
