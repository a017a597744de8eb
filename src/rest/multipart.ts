// Streams a multipart/form-data request (busboy) and hands over one file field as a stream while
// it is still arriving, so an upload is never held whole in memory. The whole request body is
// limited to `limit` bytes: a declared Content-Length past it answers 413 before anything is read;
// a body that grows past it mid-stream fails the file stream with PayloadTooLarge.
import busboy from 'busboy';
import { PassThrough, Transform } from 'node:stream';
import type { Context } from 'koa';
import { DomainError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '../domain/errors.ts';
import type { Upload } from '../domain/upload.ts';

const tooLarge = (limit: number) => new PayloadTooLarge(`The upload exceeds the limit of ${limit} bytes (MAX_IMPORT_BYTES)`);
const malformed = (error: Error) => new ValidationFailed(`The multipart body is malformed: ${error.message.slice(0, 120)}`);

export interface MultipartFile {
  upload: Upload;
  /** Reads and discards whatever the consumer left unread, so the request completes. */
  drain(): void;
}

export function readMultipartFile(ctx: Context, field: string, limit: number): Promise<MultipartFile> {
  if (!ctx.request.is('multipart/form-data')) {
    const type = (ctx.request.type || 'none').slice(0, 64);
    throw new UnsupportedMediaType(`Send the body as multipart/form-data with the file in the "${field}" field, not ${type}`);
  }
  const length = ctx.request.length;
  if (length !== undefined && length > limit) throw tooLarge(limit);

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers, limits: { files: 5, fields: 20, parts: 25, fileSize: limit } });
  } catch (error) {
    throw new ValidationFailed(`The multipart body cannot be read: ${(error as Error).message.slice(0, 120)}`);
  }

  return new Promise<MultipartFile>((resolve, reject) => {
    let handed: PassThrough | undefined;
    let received = 0;
    let failed = false;
    const fail = (error: DomainError) => {
      if (failed) return;
      failed = true;
      if (handed) handed.destroy(error); // the consumer sees it as the stream's error
      else reject(error);
    };
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > limit) {
          fail(tooLarge(limit));
          done(); // swallow the rest; the consumer already has the error
          return;
        }
        done(null, chunk);
      },
    });

    parser.on('file', (name, stream, info) => {
      // busboy fails every open file stream when the body ends mid-part: a part nobody reads needs a
      // listener too, or that error is uncaught and ends the process. The parser reports it once.
      stream.on('error', () => undefined);
      if (handed || name !== field) { stream.resume(); return; }
      // The consumer reads a stream of ours, failed only with domain errors (never busboy's own).
      const upload = new PassThrough();
      handed = upload;
      // The consumer learns of errors through its own pipeline (the stream's errored state); this
      // listener only keeps an error raised before the consumer attaches from going unhandled.
      upload.on('error', () => undefined);
      stream.on('limit', () => fail(tooLarge(limit)));
      stream.on('error', (error: Error) => fail(malformed(error)));
      stream.pipe(upload);
      resolve({
        upload: { stream: upload, filename: info.filename ?? '', mimeType: info.mimeType },
        drain: () => {
          // Read to the end: nothing more. Otherwise stop parsing and discard the rest of the body.
          if (upload.readableEnded) return;
          ctx.req.unpipe();
          ctx.req.resume();
        },
      });
    });
    parser.on('error', (error: Error) => fail(malformed(error)));
    parser.on('close', () => {
      if (!handed) reject(new ValidationFailed(`The multipart body has no file field "${field}"`, [
        { loc: ['body', field], msg: 'Field required', type: 'missing' }]));
    });
    ctx.req.on('error', () => fail(new ValidationFailed('The upload was interrupted')));
    ctx.req.pipe(counter).pipe(parser);
  });
}
