/** The source text of src/assets.generated.ts as the embed script would write it now. */
export function embeddedAssets(): string;
