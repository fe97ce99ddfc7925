/**
 * A real `redis-server` for tests (Debian package `redis-server`): started on a free loopback
 * port in its own temporary folder, with AOF persistence (`appendfsync always`) so a test can
 * stop and start it again and find its data, and stopped (folder removed) by `dispose()`.
 *
 * Where the binary is missing the tests that need it are skipped with a note — except under
 * CI=true, where `requireRedis()` throws: CI installs redis-server (.ci/run), and a CI run that
 * silently tested nothing of the queue would be a false green.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

/** Path of redis-server, or undefined. */
export const REDIS_SERVER = which('redis-server');

/** Whether the Redis tests can run; under CI a missing server is an error, not a skip. */
export function requireRedis(): boolean {
  if (REDIS_SERVER) return true;
  if (process.env.CI) throw new Error('redis-server is not installed: CI must install it (see .ci/run: apt-get install redis-server)');
  console.warn('redis-server not found: skipping the Redis queue tests (apt-get install redis-server)');
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

export interface RedisOptions {
  /** requirepass. */
  readonly password?: string;
  /** Serve TLS only (on the port) with these files. */
  readonly tls?: RedisTls;
}

export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** redis:// (or rediss://) URL of the server, with the password when there is one. */
  readonly url: string;
  /** Stop gracefully (SIGTERM: the AOF is flushed) and wait for the exit. */
  stop(): Promise<void>;
  /** Start again on the same port and folder (the AOF is loaded). */
  start(): Promise<void>;
  /** Stop and remove the folder. */
  dispose(): Promise<void>;
}

export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'vf-redis-'));
  let port = await freePort();
  let proc: ChildProcess | undefined;
  let starts = 0;

  const args = (log: string): string[] => [
    ...(opts.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key, '--tls-ca-cert-file', opts.tls.ca, '--tls-auth-clients', 'no']
      : ['--port', String(port)]),
    '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
    '--logfile', log, '--daemonize', 'no', '--maxmemory-policy', 'noeviction',
    ...(opts.password ? ['--requirepass', opts.password] : []),
  ];

  const start = async (): Promise<void> => {
    const first = starts === 0;
    for (let attempt = 0; ; attempt++) {
      const log = join(dir, `redis-${starts++}.log`);
      const p = spawn(REDIS_SERVER!, args(log), { cwd: dir, stdio: 'ignore' });
      let exited = false;
      p.once('exit', () => { exited = true; });
      const t0 = Date.now();
      while (!exited && Date.now() - t0 < 10_000) {
        if (existsSync(log) && /Ready to accept connections/.test(readFileSync(log, 'utf8'))) {
          proc = p;
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      p.kill('SIGKILL');
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '(no log)';
      // The free port was taken in between: a first start may pick another one.
      if (first && attempt < 3 && /Address already in use/.test(text)) {
        port = await freePort();
        continue;
      }
      throw new Error(`redis-server did not start on port ${port}:\n${text.slice(-2000)}`);
    }
  };

  const stop = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  };

  await start();
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    port,
    dir,
    get url() {
      return `${opts.tls ? 'rediss' : 'redis'}://${auth}${opts.tls ? 'localhost' : '127.0.0.1'}:${port}`;
    },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A self-signed CA and a server certificate for `localhost` (openssl), or undefined without openssl. */
export function makeTlsFiles(dir: string): RedisTls | undefined {
  if (!which('openssl')) return undefined;
  const run = (...a: string[]): void => {
    const r = spawnSync('openssl', a, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${a.join(' ')}: ${r.stderr}`);
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=vitforge test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  const ext = join(dir, 'ext.cnf');
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', 'server.pem');
  return { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') };
}
