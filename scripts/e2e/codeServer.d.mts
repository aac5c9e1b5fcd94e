// Types of codeServer.mjs for the TypeScript e2e suite.
export function freePort(): Promise<number>;
export function installExtension(profile: string, vsixOrFolder: string): void;
export function writeSettings(profile: string, extra?: Record<string, unknown>): void;
export function startCodeServer(options: { profile: string; folder: string; trusted?: boolean; port?: number; log?: (text: string) => void }): Promise<{ url: string; port: number; stop(): Promise<void> }>;
