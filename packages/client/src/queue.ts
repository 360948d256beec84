/** The empty list, shared (never written to): an idle client holds no array of its own for what it may queue. */
export const NONE: never[] = []

/** A bounded FIFO. `push` refuses (returns false) when full instead of evicting: nothing queued is lost silently. */
export class BoundedQueue<T> {
  private _items: T[] = NONE

  constructor(private readonly _max: number) {}

  get size(): number {
    return this._items.length
  }

  push(item: T): boolean {
    if (this._items.length >= this._max) return false
    if (this._items === NONE) this._items = []
    this._items.push(item)
    return true
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = this._items
    this._items = NONE
    return items
  }

  /** Removes the items `test` accepts. */
  remove(test: (item: T) => boolean): void {
    this._items = this._items.filter((item) => !test(item))
  }
}
