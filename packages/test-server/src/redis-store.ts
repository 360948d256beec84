import { randomUUID } from 'node:crypto'
import { createClient } from 'redis'
import {
  DEFAULT_LIMITS,
  fillable,
  type Opened,
  type SessionStore,
  type Signal,
  type StoredFrame,
  type StoreLimits,
} from './store.js'

// The client is node-redis (`redis` on npm), the Redis project's own Node client, kept current with the server:
// scripts (EVAL), streams and pub/sub with types, reconnection, and a separate subscriber connection; a hand-written
// RESP client would redo all of that, worse.
//
// Keys (prefix `ll:`): `ll:s:<id>` a hash { in, out } with a TTL; `ll:s:<id>:buf` a stream of the unacknowledged server
// messages, entry id `<seq>-1`, field `f` the frame, capped at maxBuffered entries, with the same TTL; `ll:room:<name>`
// a set of session ids. Signals go over the `ll:signal` channel as `<session> <data|taken> <from>`.
const hash = (id: string): string => `ll:s:${id}`
const buf = (id: string): string => `ll:s:${id}:buf`
const room = (name: string): string => `ll:room:${name}`
const CHANNEL = 'll:signal'

/** Numbers a message and appends it: one script, so two backends never take the same number. Returns 0 for no session. */
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local seq = redis.call('HINCRBY', KEYS[1], 'out', 1)
local frame = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-1', 'f', frame)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return seq`

/** Records client message ARGV[1] as processed if it is the next one: exactly once across backends. */
const ACCEPT = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'in') or '-1')
if cur < 0 or tonumber(ARGV[1]) ~= cur + 1 then return 0 end
redis.call('HSET', KEYS[1], 'in', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`

/** ACCEPT and APPEND in one step: client message ARGV[1] accepted and its replies (ARGV[4…]) appended, or nothing. */
const COMMIT = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'in') or '-1')
if cur < 0 or tonumber(ARGV[1]) ~= cur + 1 then return 0 end
redis.call('HSET', KEYS[1], 'in', ARGV[1])
for i = 4, #ARGV do
  local seq = redis.call('HINCRBY', KEYS[1], 'out', 1)
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-1', 'f', '{"seq":' .. seq .. ',' .. string.sub(ARGV[i], 2))
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`

type Client = ReturnType<typeof createClient>

const frames = (entries: Array<{ id: string; message: Record<string, string> }>): StoredFrame[] =>
  entries.map((e) => ({ seq: Number.parseInt(e.id, 10), frame: e.message['f'] as string }))

/** Sessions, replay buffers and rooms in Redis, shared by a fleet of test servers. */
export class RedisStore implements SessionStore {
  private readonly listeners = new Set<(session: string, what: Signal, from: string) => void>()

  private constructor(
    private readonly db: Client,
    private readonly sub: Client,
    private readonly limits: StoreLimits,
  ) {}

  /** Connects to `url` (two connections: commands, and the signal subscription). */
  static async connect(url: string, limits: StoreLimits = DEFAULT_LIMITS): Promise<RedisStore> {
    // node-redis reconnects by itself; while Redis is away, commands fail (and the server's handlers with them)
    const report = (err: unknown): void => console.error(`lifeline-test-server: redis: ${(err as Error).message}`)
    const db = createClient({ url })
    db.on('error', report)
    await db.connect()
    const sub = db.duplicate()
    sub.on('error', report)
    await sub.connect()
    const store = new RedisStore(db as unknown as Client, sub as unknown as Client, limits)
    await sub.subscribe(CHANNEL, (message: string) => {
      const [session, what, from] = message.split(' ')
      if (session && (what === 'data' || what === 'taken') && from) for (const l of store.listeners) l(session, what, from)
    })
    return store
  }

  private ttl(): string {
    return String(this.limits.ttlMs)
  }

  async open(session: string | null, clientSeq: number): Promise<Opened> {
    if (session !== null) {
      const [state, first] = await Promise.all([
        this.db.hGetAll(hash(session)),
        this.db.xRange(buf(session), '-', '+', { COUNT: 1 }),
      ])
      if (state['out'] !== undefined) {
        const out = Number(state['out'])
        const firstSeq = first?.[0] ? Number.parseInt(first[0].id, 10) : undefined
        if (fillable(clientSeq, out, firstSeq)) {
          await this.db.pExpire(hash(session), this.limits.ttlMs)
          return { session, resumed: true, inSeq: Number(state['in']), replay: await this.after(session, clientSeq) }
        }
        return this.fresh('overrun')
      }
      return this.fresh('unknown') // an expired session is gone from Redis: it reads as unknown
    }
    return this.fresh('new')
  }

  private async fresh(reason: NonNullable<Opened['reason']>): Promise<Opened> {
    const id = randomUUID()
    await this.db.multi().hSet(hash(id), { in: 0, out: 0 }).pExpire(hash(id), this.limits.ttlMs).exec()
    return { session: id, resumed: false, reason, inSeq: 0, replay: [] }
  }

  async accept(session: string, seq: number): Promise<boolean> {
    const r = await this.db.eval(ACCEPT, { keys: [hash(session), buf(session)], arguments: [String(seq), this.ttl()] })
    return r === 1
  }

  async commit(session: string, seq: number, bodies: string[]): Promise<boolean> {
    const r = await this.db.eval(COMMIT, {
      keys: [hash(session), buf(session)],
      arguments: [String(seq), String(this.limits.maxBuffered), this.ttl(), ...bodies],
    })
    return r === 1
  }

  async append(session: string, body: string): Promise<number> {
    const r = await this.db.eval(APPEND, {
      keys: [hash(session), buf(session)],
      arguments: [body, String(this.limits.maxBuffered), this.ttl()],
    })
    return Number(r)
  }

  async ack(session: string, seq: number): Promise<void> {
    await this.db.xTrim(buf(session), 'MINID', `${seq + 1}-0`)
  }

  async after(session: string, seq: number): Promise<StoredFrame[]> {
    return frames((await this.db.xRange(buf(session), `${seq + 1}-0`, '+')) ?? [])
  }

  async join(name: string, session: string): Promise<number> {
    await this.db.sAdd(room(name), session)
    return this.db.sCard(room(name))
  }

  async leave(name: string, session: string): Promise<boolean> {
    return (await this.db.sRem(room(name), session)) > 0
  }

  async members(name: string): Promise<string[]> {
    return this.db.sMembers(room(name))
  }

  async signal(session: string, what: Signal, from: string): Promise<void> {
    await this.db.publish(CHANNEL, `${session} ${what} ${from}`)
  }

  onSignal(listener: (session: string, what: Signal, from: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async close(): Promise<void> {
    this.listeners.clear()
    await Promise.allSettled([this.sub.close(), this.db.close()])
  }
}
