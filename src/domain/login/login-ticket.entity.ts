import { defineEntity, p } from '@mikro-orm/core';
import { Session } from '../session/session.entity.ts';
import { personRow, singleUse } from '../entity-properties.ts';

/**
 * The single-use ticket a successful login answers with (`nonce`); only its SHA-256 is stored.
 * The OIDC face redeems it to complete the authorize request named by `authReqId`.
 */
export const LoginTicketSchema = defineEntity({
  name: 'LoginTicket',
  properties: {
    ...personRow(),
    session: () => p.manyToOne(Session).ref().deleteRule('cascade'),
    ticketHash: p.string().length(64).unique(),
    authReqId: p.string().length(128).nullable(),
    /** zkp | passkey | password */
    method: p.string().length(16),
    needVerify: p.boolean(),
    /** What the client reported with the login: `ber` and `log_data`, as given. */
    loginData: p.json<Record<string, unknown>>().nullable(),
    ...singleUse(),
  },
});

export class LoginTicket extends LoginTicketSchema.class {}
LoginTicketSchema.setClass(LoginTicket);
