// The end of a zero-knowledge sign-in at the hosted login page (docs/zkp.md, "Sign-in for an
// authorize request"): the page's script answered a challenge with `auth_req_id`, got a login
// ticket (`nonce`) and sends the browser to GET /login/ticket. The ticket is redeemed once; it
// must have been answered for this very authorize request, which this browser started; then the
// request is complete and the browser holds the session the login started.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthorizeRequest } from './authorize-request.entity.ts';
import { completeAuthorizeRequest } from './authorize.service.ts';
import { attachBrowser } from '../session/session.service.ts';
import { redeemLoginTicket } from '../login/zkp-login.service.ts';
import { findLiveSessionById } from './oauth.queries.ts';
import { AccessDenied, InvalidRequest } from './oauth-errors.ts';

const MAX_TICKET = 128;

/**
 * Completes `request` (pending, started by this browser: the caller checked the binding cookie)
 * with the login ticket `nonce`. Answers the completed request and the browser's cookie secret.
 */
export async function signInWithTicket(em: EntityManager, request: AuthorizeRequest, nonce: string | undefined) {
  if (request.status !== 'pending') throw new InvalidRequest('This sign-in is already complete');
  const redeemed = nonce && nonce.length <= MAX_TICKET ? await redeemLoginTicket(em, nonce) : null;
  // Redeemed before these checks: a ticket presented for another request is spent all the same.
  if (!redeemed || redeemed.authReqId !== request.id || redeemed.organizationId !== request.organization.id) {
    throw new InvalidRequest('The login ticket is not valid for this sign-in (unknown, used, expired or answered for another request)');
  }
  if (redeemed.needVerify) {
    throw new AccessDenied('This tenant asks for a second factor, which the hosted login page does not offer yet');
  }
  const session = await findLiveSessionById(em, redeemed.sessionId);
  if (!session) throw new InvalidRequest('The session of this login has ended');
  const { request: completed } = await completeAuthorizeRequest(em, request.id, redeemed.personId);
  completed.authTime = session.createdAt;
  completed.sessionId = session.id;
  const secret = attachBrowser(session);
  await em.flush();
  return { request: completed, cookieSecret: secret };
}
