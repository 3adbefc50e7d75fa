import type { AscentDb } from "./sql-tables.js";

/** Who holds a lease, and until when (ms since epoch). */
export interface LeaseHolder {
  owner: string;
  expiresAt: number;
}

/**
 * Inserts or extends `owner`'s lease of an experiment in one statement. With `now` (acquiring), a lease
 * of another owner that expired by `now` is taken over; without it (renewing), never. Returns the other
 * holder when the lease was refused, else null.
 * @internal
 */
export async function takeLease(
  db: AscentDb,
  lease: { name: string; owner: string; expiresAt: number; now: number | null },
): Promise<LeaseHolder | null> {
  const { name, owner, expiresAt, now } = lease;
  const taken = await db
    .insertInto("ascent_leases")
    .values({ experiment_name: name, owner, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column("experiment_name")
        .doUpdateSet({ owner, expires_at: expiresAt })
        .where((eb) =>
          now === null
            ? eb("ascent_leases.owner", "=", owner)
            : eb.or([eb("ascent_leases.owner", "=", owner), eb("ascent_leases.expires_at", "<=", now)]),
        ),
    )
    .returning("owner")
    .executeTakeFirst();
  if (taken) return null;
  const holder = await db
    .selectFrom("ascent_leases")
    .select(["owner", "expires_at"])
    .where("experiment_name", "=", name)
    .executeTakeFirstOrThrow();
  return { owner: holder.owner, expiresAt: Number(holder.expires_at) };
}
