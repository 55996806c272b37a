import type { Timestamp } from '../platform/db/columns.ts';

/** Per user: the last TOTP time step accepted, and until when the code step is locked. */
export interface SecondFactorStateTable {
  user_id: number;
  last_totp_step: number | null;
  locked_until: Timestamp | null;
}

/** Addresses a user has signed in from with the right password (and code, with two-factor sign-in). */
export interface SignInAddressTable {
  user_id: number;
  address: string;
  last_signed_in_at: Timestamp;
}
