/**
 * The status `probe` answers once a process has read the database's invalidation notification:
 * PostgreSQL hands it to every listener at commit, but a process under load may read it some
 * milliseconds after the changing request was answered (docs/architecture.md, "Caches
 * invalidated through the database"). Asks again every 25 ms for at most `withinMs`.
 */
export async function settledStatus(probe: () => Promise<number>, expected: number, withinMs = 1000): Promise<number> {
  const deadline = Date.now() + withinMs;
  let status = await probe();
  while (status !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    status = await probe();
  }
  return status;
}
