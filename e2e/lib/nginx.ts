import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { nginxBinary } from './engines'
import { freePort } from './ports'

export interface Nginx {
  /** `http://127.0.0.1:<port>`: pages and the WebSocket, proxied to the backends. */
  httpUrl: string
  /** nginx's error log so far, for assertions and failure reports. */
  log(): string
  stop(): Promise<void>
}

/**
 * Starts Debian's nginx as a WebSocket reverse proxy in front of `backends`, with its own prefix folder and config,
 * unprivileged, in the foreground. `hash $remote_addr consistent` pins a client to one backend; when that one is down
 * nginx moves on to the next (proxy_next_upstream's default: error, timeout).
 */
export async function startNginx(backends: number[], readTimeoutS: number): Promise<Nginx> {
  const bin = nginxBinary()
  if (!bin) throw new Error('nginx is not installed (apt-get install nginx)')
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-nginx-'))
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub))
  const port = await freePort()
  const conf = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream backends {
    hash $remote_addr consistent;
${backends.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_connect_timeout 1s;
      proxy_read_timeout ${readTimeoutS}s;
      proxy_send_timeout ${readTimeoutS}s;
    }
  }
}
`
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const child: ChildProcess = spawn(
    bin,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const httpUrl = `http://127.0.0.1:${port}`
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8')
    } catch {
      return stderr
    }
  }
  try {
    const serving = (): Promise<boolean> =>
      fetch(`${httpUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    // Stop polling as soon as nginx has exited: it will not come up.
    await expect
      .poll(async () => child.exitCode !== null || (await serving()), {
        message: 'nginx to proxy',
        timeout: 10_000,
        intervals: [25],
      })
      .toBe(true)
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${log()}`)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return {
    httpUrl,
    log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGQUIT')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
