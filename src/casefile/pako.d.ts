// The few parts of pako (the zlib port PizZip compresses with) that the streaming case-file writer uses: its
// DEFLATE output is what PizZip writes, byte for byte, whether the input comes whole or in chunks.
declare module 'pako' {
  export interface DeflateOptions {
    level?: number;
    raw?: boolean;
    chunkSize?: number;
  }
  export class Deflate {
    constructor(options?: DeflateOptions);
    err: number;
    msg: string;
    onData(chunk: Uint8Array): void;
    push(data: Uint8Array, flushMode?: boolean | number): boolean;
  }
  export function deflateRaw(data: Uint8Array, options?: DeflateOptions): Uint8Array;
}
