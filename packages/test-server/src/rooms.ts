/** Room membership: which connections hear a room's broadcasts. */
export class Rooms<C> {
  private readonly rooms = new Map<string, Set<C>>()

  join(room: string, member: C): number {
    const members = this.rooms.get(room) ?? new Set<C>()
    this.rooms.set(room, members)
    members.add(member)
    return members.size
  }

  leave(room: string, member: C): boolean {
    const members = this.rooms.get(room)
    const was = members?.delete(member) ?? false
    if (members?.size === 0) this.rooms.delete(room)
    return was
  }

  leaveAll(member: C): void {
    for (const room of [...this.rooms.keys()]) this.leave(room, member)
  }

  members(room: string): C[] {
    return [...(this.rooms.get(room) ?? [])]
  }
}
