// Who a call acts for, as the services see it. The shape lives here, beside Ctx, so every layer can
// carry it; what it may do is decided in src/access/access.ts.

/** ITFlow's modules; assets belong to `support`. */
export const MODULES = ['client', 'support', 'credential', 'sales', 'financial', 'reporting'] as const;
export type Module = (typeof MODULES)[number];

/** A user, or an API key acting as its user: their level per module and the clients they may see. */
export interface Principal {
  userId: number;
  name: string;
  isAdmin: boolean;
  levels: Record<Module, number>;
  /** Clients the user is limited to; null when not limited. */
  allow: ReadonlySet<number> | null;
  deny: ReadonlySet<number>;
}
