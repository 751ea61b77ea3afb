// Types for the part of Eleventy 3's programmatic API the site build uses; the package
// ships JavaScript with JSDoc only.
declare module '@11ty/eleventy' {
  interface EleventyUserConfig {
    addGlobalData(name: string, value: unknown): void;
    addFilter(name: string, filter: (...args: never[]) => unknown): void;
    setQuietMode(quiet: boolean): void;
  }
  interface EleventyOptions {
    quietMode?: boolean;
    configPath?: string;
    config?: (config: EleventyUserConfig) => void | Promise<void>;
  }
  export class Eleventy {
    constructor(input: string, output: string, options?: EleventyOptions);
    write(): Promise<unknown>;
  }
  export default Eleventy;
}
