// The checks of a SAML response posted to our ACS, on top of samlify's (schema, Status Success,
// XML signature of the response or the assertion against the IdP's metadata certificate, issuer,
// Conditions window): audience = our entityID, Destination and Recipient = our ACS, InResponseTo =
// the AuthnRequest we sent, a bearer confirmation still valid, and a bounded lifetime (the replay
// store keeps the assertion id that long). Every refusal is a SamlRefused with a reason to show.
import { Extractor, SamlLib } from 'samlify';
import { identityProvider, serviceProvider, CLOCK_SKEW_MS } from './service-provider.ts';
import type { SamlSpEndpoints } from './saml-endpoints.ts';

export class SamlRefused extends Error {}

/** What a verified assertion says about the person. */
export interface VerifiedAssertion {
  assertionId: string;
  /** When the assertion stops being acceptable (the replay store keeps its id until then). */
  expiresAt: Date;
  nameId: string;
  nameIdFormat?: string;
  attributes: Record<string, string | string[]>;
}

/** At most this long an assertion id is kept, whatever the assertion says. */
const MAX_LIFETIME_MS = 24 * 3600 * 1000;

const LIBRARY_REASONS: Record<string, string> = {
  FAILED_TO_VERIFY_SIGNATURE: 'the response is not signed by the identity provider\'s key',
  ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA: 'the response is signed with a certificate the identity provider\'s metadata does not name',
  ERR_UNMATCH_ISSUER: 'the assertion was issued by another identity provider',
  ERR_SUBJECT_UNCONFIRMED: 'the assertion is expired or not yet valid',
  ERR_EXPIRED_SESSION: 'the assertion\'s session is expired',
  ERR_POTENTIAL_WRAPPING_ATTACK: 'the response has a suspicious structure',
  ERR_EXCEPTION_VALIDATE_XML: 'the response is not valid SAML',
  ERR_INVALID_XML: 'the response is not valid SAML',
  ERR_FAILED_STATUS: 'the identity provider did not authenticate the person',
  ERR_EMPTY_ASSERTION: 'the response holds no assertion',
};

/** The InResponseTo of a response, read before any check: only to find the request to check against. */
export function claimedInResponseTo(xml: string): string | undefined {
  try {
    const response: unknown = Extractor.extract(xml, [{ key: 'response', localPath: ['Response'], attributes: ['InResponseTo'] }]).response;
    return typeof response === 'string' && response.length <= 64 ? response : undefined;
  } catch { return undefined; }
}

/**
 * A coarse filter before any parsing: no DOCTYPE (entities could hide or expand anything), and one
 * assertion at most. samlify reads the assertion its signature covers, but a second one (beside,
 * or wrapping the signed one in Advice) only ever serves signature wrapping; counting the start
 * tags can over-count (a comment), which only refuses.
 */
function refuseUnusualShape(xml: string) {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new SamlRefused('the response declares a DOCTYPE');
  const assertions = xml.match(/<([A-Za-z_][\w.-]*:)?(Encrypted)?Assertion[\s>/]/g) ?? [];
  if (assertions.length > 1) throw new SamlRefused('the response holds more than one assertion');
}

const list = <T>(value: T | T[] | null | undefined): T[] => (value == null ? [] : Array.isArray(value) ? value : [value]);

export async function verifySamlResponse(
  samlResponse: string, endpoints: SamlSpEndpoints, idpMetadataXml: string, expectedRequestId: string,
): Promise<VerifiedAssertion> {
  refuseUnusualShape(Buffer.from(samlResponse, 'base64').toString('utf8'));
  const sp = serviceProvider(endpoints);
  const idp = identityProvider(idpMetadataXml);
  let result;
  try {
    result = await sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse: samlResponse } });
  } catch (error) {
    const code = String((error as Error)?.message ?? error);
    const statusCode = code.startsWith('ERR_FAILED_STATUS') ? 'ERR_FAILED_STATUS' : code;
    throw new SamlRefused(LIBRARY_REASONS[statusCode] ?? 'the response could not be verified');
  }
  // The assertion the signature covers (the library extracted from it; read it again for the
  // fields it does not extract: the assertion's ID and its subject confirmation).
  const [verified, assertionXml] = SamlLib.verifySignature(result.samlContent, { metadata: idp.entityMeta });
  if (!verified || typeof assertionXml !== 'string') throw new SamlRefused('the response holds no signed assertion');
  const fields = Extractor.extract(assertionXml, [
    { key: 'assertion', localPath: ['Assertion'], attributes: ['ID'] },
    { key: 'confirmations', localPath: ['Assertion', 'Subject', 'SubjectConfirmation', 'SubjectConfirmationData'], attributes: ['Recipient', 'InResponseTo', 'NotOnOrAfter', 'NotBefore'] },
    { key: 'nameIdFormat', localPath: ['Assertion', 'Subject', 'NameID'], attributes: ['Format'] },
  ]);
  const extract = result.extract;
  const now = Date.now();

  if (!list<string>(extract.audience).includes(endpoints.entityId)) throw new SamlRefused('the assertion is not meant for this service provider (audience)');
  const destination = extract.response?.destination;
  if (destination !== undefined && destination !== endpoints.acs) throw new SamlRefused('the response is addressed to another endpoint (Destination)');
  const responseTo = extract.response?.inResponseTo;
  if (responseTo !== undefined && responseTo !== expectedRequestId) throw new SamlRefused('the response answers another request (InResponseTo)');
  const confirmations = list(fields.confirmations as Record<string, string> | Record<string, string>[] | null);
  if (!confirmations.length) throw new SamlRefused('the assertion has no subject confirmation');
  const confirmation = confirmations.find((c) => c.recipient === endpoints.acs);
  if (!confirmation) throw new SamlRefused('the assertion is meant for another endpoint (Recipient)');
  if (confirmation.inResponseTo !== expectedRequestId) throw new SamlRefused('the assertion answers another request (InResponseTo)');
  const confirmedUntil = Date.parse(confirmation.notOnOrAfter ?? '');
  if (!Number.isFinite(confirmedUntil)) throw new SamlRefused('the subject confirmation has no NotOnOrAfter');
  if (now >= confirmedUntil + CLOCK_SKEW_MS) throw new SamlRefused('the assertion is expired or not yet valid');
  if (confirmation.notBefore && now + CLOCK_SKEW_MS < Date.parse(confirmation.notBefore)) throw new SamlRefused('the assertion is expired or not yet valid');
  const conditionsUntil = Date.parse(String((extract.conditions as { notOnOrAfter?: string } | undefined)?.notOnOrAfter ?? ''));
  const until = Math.min(confirmedUntil, Number.isFinite(conditionsUntil) ? conditionsUntil : Infinity, now + MAX_LIFETIME_MS);

  const assertionId = typeof fields.assertion === 'string' ? fields.assertion : '';
  if (!assertionId || assertionId.length > 256) throw new SamlRefused('the assertion has no usable ID');
  const nameId = typeof extract.nameID === 'string' ? extract.nameID.trim() : '';
  return {
    assertionId, expiresAt: new Date(until + CLOCK_SKEW_MS), nameId,
    nameIdFormat: typeof fields.nameIdFormat === 'string' ? fields.nameIdFormat : undefined,
    attributes: (extract.attributes ?? {}) as Record<string, string | string[]>,
  };
}

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const TRANSIENT_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

/** The email: the first of `emailClaims` present, else a NameID of the emailAddress format. */
export function emailOf(assertion: VerifiedAssertion, emailClaims: string[]): string | undefined {
  for (const claim of emailClaims) {
    const value = list<string>(assertion.attributes[claim] as string | string[] | undefined).find((v) => typeof v === 'string' && v.trim());
    if (value) return value.trim();
  }
  return assertion.nameIdFormat === EMAIL_FORMAT && assertion.nameId ? assertion.nameId : undefined;
}

/** The IdP's stable id of the person: the NameID, unless transient (then the email stands for it). */
export function subjectOf(assertion: VerifiedAssertion, email: string | undefined): string | undefined {
  if (assertion.nameId && assertion.nameIdFormat !== TRANSIENT_FORMAT) return assertion.nameId;
  return email ? `email:${email.toLowerCase()}` : undefined;
}
