// Connections per process: the pool's size (mikro-orm.config.ts) and what src/db/transactions.ts
// leaves free for statements that must run outside a transaction.
export const POOL_MAX = 10;
