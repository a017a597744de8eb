// Passkey enrolment offered by the hosted sign-in page after a password sign-in.
import type { EntityManager } from '@mikro-orm/postgresql';
import { passkeysOfPerson } from './webauthn.queries.ts';

export const passkeysOfPersonCount = async (em: EntityManager, personId: string) => (await passkeysOfPerson(em, personId)).length;
