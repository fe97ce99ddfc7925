/**
 * `--queue redis://[USER:PASSWORD@]HOST[:PORT][/DB]` or `rediss://…` (TLS): parsed strictly into
 * ioredis options. The password may also come from VITFORGE_REDIS_PASSWORD (so it stays out of
 * `ps` and shell history); it is never written to dse.json or printed (see `redactedUrl`).
 * A TLS server's certificate is checked against the system CAs plus NODE_EXTRA_CA_CERTS.
 */
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import { UserError } from '../../errors.js';

export const PASSWORD_ENV = 'VITFORGE_REDIS_PASSWORD';

export interface QueueTarget {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
}

export function parseQueueUrl(text: string, field = '--queue', env: NodeJS.ProcessEnv = process.env): QueueTarget {
  const allowed = 'redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://… (TLS)';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UserError(field, `not a URL: '${redact(text)}'`, allowed);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(field, `unsupported scheme '${u.protocol}'`, allowed);
  if (!u.hostname) throw new UserError(field, `no host in '${redact(text)}'`, allowed);
  if (u.search || u.hash) throw new UserError(field, 'query strings and fragments are not supported', allowed);
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(field, `invalid port '${u.port}'`, allowed);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw new UserError(field, `invalid database '/${path}'`, '/0 … /15 (a number)');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : env[PASSWORD_ENV] || undefined;
  return { tls: u.protocol === 'rediss:', host, port, db: path === '' ? 0 : Number(path), username, password };
}

/** The URL without its password (for dse.json, logs and messages). */
export function redactedUrl(t: QueueTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const user = t.username ? `${encodeURIComponent(t.username)}@` : '';
  return `${t.tls ? 'rediss' : 'redis'}://${user}${host}:${t.port}${t.db ? `/${t.db}` : ''}`;
}

function redact(text: string): string {
  return text.replace(/\/\/([^@/:]*):[^@]*@/, '//$1:***@');
}

/**
 * ioredis options for every connection of a coordinator or worker. Commands wait through a Redis
 * restart instead of failing (maxRetriesPerRequest null, offline queue on), reconnecting every
 * 0.2–2 s; BullMQ requires the former for its blocking connections anyway.
 */
export function redisOptions(t: QueueTarget, name: string): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    username: t.username,
    password: t.password,
    tls: t.tls ? (isIP(t.host) ? {} : { servername: t.host }) : undefined,
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}
