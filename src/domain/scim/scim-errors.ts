// SCIM errors are the domain's typed errors; the SCIM `scimType` (RFC 7644 §3.12) travels as the
// `type` of the error's first issue, which the SCIM dialect reads (other dialects show the message).
import { Conflict, PayloadTooLarge, PreconditionFailed, ValidationFailed, type FieldIssue } from '../errors.ts';

export type ScimType = 'uniqueness' | 'invalidFilter' | 'invalidPath' | 'noTarget' | 'mutability' | 'invalidValue'
  | 'invalidSyntax' | 'tooMany' | 'invalidVers' | 'tooLarge';

export const SCIM_TYPES: readonly ScimType[] = [
  'uniqueness', 'invalidFilter', 'invalidPath', 'noTarget', 'mutability', 'invalidValue', 'invalidSyntax', 'tooMany', 'invalidVers', 'tooLarge',
];

const issue = (scimType: ScimType, msg: string, loc: (string | number)[]): FieldIssue => ({ loc, msg, type: scimType });

/** 400 with a scimType. */
export function scimInvalid(scimType: ScimType, message: string, loc: (string | number)[] = ['body']): ValidationFailed {
  return new ValidationFailed(message, [issue(scimType, message, loc)]);
}

/** 409 `uniqueness`. */
export function scimConflict(message: string, loc: (string | number)[] = ['body']): Conflict {
  return new Conflict(message, [issue('uniqueness', message, loc)]);
}

/** 413 `tooLarge`: a /Bulk request past maxOperations or maxPayloadSize. */
export function scimTooLarge(message: string): PayloadTooLarge {
  return new PayloadTooLarge(message, [issue('tooLarge', message, ['body'])]);
}

/** `If-Match` (RFC 7644 §3.14): `*` or a list of versions, one of which must be the current one (weak comparison). */
export function assertIfMatch(ifMatch: string | null | undefined, current: string): void {
  if (ifMatch == null || ifMatch.trim() === '' || ifMatch.trim() === '*') return;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  if (!ifMatch.split(',').map(strip).includes(strip(current))) {
    throw new PreconditionFailed(`If-Match ${ifMatch.slice(0, 64)} does not match the current version ${current}; read the resource again`);
  }
}
