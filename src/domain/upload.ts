// A file received as a stream (a multipart part still arriving), as the domain sees it.
import type { Readable } from 'node:stream';

export interface Upload {
  stream: Readable;
  filename: string;
  mimeType: string;
}
