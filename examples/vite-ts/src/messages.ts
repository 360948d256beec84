// The app's message maps: what the server sends (`In`), what the app sends (`Out`) and its requests (`Rpc`).
// Lifeline checks every `send`, `on('message')` and `request` against them at compile time.

/** Messages from the server, by type. */
export interface In {
  echo: { n: number; sentAt: number }
  broadcast: { room: string; from: number; message: string }
}

/** Messages to the server, by type. */
export interface Out {
  echo: { n: number; sentAt: number }
}

/** Requests: what each one sends and what its reply carries. */
export interface Rpc {
  sum: { data: number[]; reply: number }
  join: { data: { room: string }; reply: { room: string; members: number } }
}
