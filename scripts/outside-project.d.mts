// Types of outside-project.mjs (plain JavaScript, so bench scripts can import it too).
export declare const repository: string;
export declare const PACKAGES: readonly string[];
export declare function projectEnv(cwd?: string): NodeJS.ProcessEnv;
export declare function step(step: string, command: string, args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<string>;
export declare function packPackages(destination: string): Promise<string[]>;
export declare function scaffold(options: { packs: string; parent: string; name: string; template?: string }): Promise<string>;
export declare function freePort(): Promise<number>;
export declare function startDev(cwd: string, options: { readyPath: string; timeoutMs?: number }): Promise<{ url: string; stop(): Promise<void>; output(): string }>;
