// Requests Node's HTTP parser refuses before the app sees them (a request line and headers past
// 16 KiB: 431; malformed HTTP: 400) are answered like every other error, in the wire shape of the
// face the path belongs to; Node's own answer has no body. As Node does, the connection then closes.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dialect } from '../rest/dialects/dialect.ts';

type ParserError = Error & { code?: string; rawPacket?: Buffer };

const MESSAGES: Record<number, string> = {
  400: 'The request is not valid HTTP/1.1',
  408: 'The request took too long to arrive',
  431: 'The request line and headers exceed 16 KiB; send long values in the body',
};

export function answerClientError(dialectOf: (path: string) => Dialect) {
  return (error: ParserError, socket: Duplex & { bytesWritten?: number }) => {
    // Nothing to say on a connection that is gone or already mid-response.
    if (error.code !== 'ECONNRESET' && socket.writable && !socket.bytesWritten) {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      // The method and path, when the request line arrived whole (it is the start of the packet).
      const line = /^([A-Z]+) (\/[^ ?#]*)/.exec(error.rawPacket?.toString('latin1', 0, 16_384) ?? '');
      const path = line?.[2] ?? '/';
      const body = JSON.stringify(dialectOf(path).errorBody(status, { code: 'BAD_REQUEST', status, message: MESSAGES[status] }));
      // A HEAD answer carries the headers of the body it does not send (RFC 9110 §9.3.2).
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${line?.[1] === 'HEAD' ? '' : body}`);
    }
    socket.destroy();
  };
}
