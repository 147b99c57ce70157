import { Role } from './api-key.entity.js';

/** Who is calling: resolved from the Bearer key, or PUBLIC without one. */
export interface Actor {
  role: Role;
  /** The API key's id (recorded in each entry as actorKeyId); null for PUBLIC. */
  keyId: string | null;
  /** The charity a CHARITY key is bound to. */
  charityId: string | null;
}

export const PUBLIC_ACTOR: Actor = Object.freeze({ role: Role.PUBLIC, keyId: null, charityId: null });
