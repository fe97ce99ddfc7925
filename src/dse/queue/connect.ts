/**
 * Redis connections of coordinators and workers: a first connection that fails says why in one
 * line (unreachable, wrong password, TLS), and later outages are waited out — ioredis reconnects
 * and replays queued commands — with one line on stderr when the connection drops and one when
 * it is back.
 */
import { Redis } from 'ioredis';
import { UserError } from '../../errors.js';
import { redactedUrl, redisOptions, type QueueTarget } from './url.js';

const CONNECTION_RE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|LOADING|Socket closed/i;
const AUTH_RE = /NOAUTH|WRONGPASS|invalid password|invalid username-password|AUTH failed/i;

/**
 * Log connection drops and recoveries of `client` (ioredis or BullMQ, which re-emits errors),
 * one line per outage. Without an 'error' listener either library would print or throw.
 */
export function watchConnection(client: { on(event: string, fn: (...a: never[]) => void): unknown }, what: string, log: (line: string) => void): void {
  let down = false;
  client.on('error', ((e: Error & { code?: string }) => {
    const message = e?.message ?? String(e);
    if (!CONNECTION_RE.test(`${e?.code ?? ''} ${message}`)) {
      log(`${what}: ${message}`);
      return;
    }
    if (down) return;
    down = true;
    log(`${what}: lost the connection to Redis (${message}); waiting for it to come back`);
  }) as never);
  client.on('ready', (() => {
    if (!down) return;
    down = false;
    log(`${what}: connected to Redis again`);
  }) as never);
}

/**
 * Connect or throw a UserError naming the URL (without its password). `waitMs` > 0 keeps trying
 * that long while the server is unreachable (a worker started before its Redis); an
 * authentication failure is reported at once.
 */
export async function connectRedis(target: QueueTarget, name: string, field: string, waitMs = 0): Promise<Redis> {
  const url = redactedUrl(target);
  const t0 = Date.now();
  for (;;) {
    const r = new Redis({ ...redisOptions(target, name), lazyConnect: true });
    let last: Error | undefined;
    r.on('error', (e: Error) => { last = e; });
    try {
      await r.connect();
      await r.ping();
      return r;
    } catch (e) {
      r.disconnect();
      const why = (last ?? (e as Error)).message;
      if (AUTH_RE.test(why) || AUTH_RE.test((e as Error).message)) {
        throw new UserError(field, `${url}: authentication failed (${why})`, 'the password in the URL or in VITFORGE_REDIS_PASSWORD');
      }
      if (Date.now() - t0 >= waitMs) throw new UserError(field, `cannot reach Redis at ${url}: ${why}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  }
}
