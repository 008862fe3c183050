// Types for build.mjs, which stays plain JavaScript so the verify launcher needs no compiler.
export declare const VERIFY_BUNDLE: string;
export declare const VERIFY_INPUTS: string;
export declare const VERIFY_CODE_CACHE: string;
export declare function buildVerifyCli(): Promise<void>;
export declare function isBundleFresh(bundle?: string, inputs?: string): boolean;
