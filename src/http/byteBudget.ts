/**
 * A budget of bytes shared by many requests (e.g. the bodies of clients not yet known): a
 * request reserves what it may hold before it reads, and releases it when done. Beyond the
 * budget a reservation is refused, so what such requests can make the service hold is bounded
 * however many of them arrive.
 */
export function byteBudget(totalBytes: number) {
  let reserved = 0;
  return {
    /** Reserves `bytes`; `false` (nothing reserved) when the budget cannot hold them. */
    reserve(bytes: number): boolean {
      if (reserved + bytes > totalBytes) return false;
      reserved += bytes;
      return true;
    },
    release(bytes: number): void {
      reserved = Math.max(0, reserved - bytes);
    },
    get reserved() {
      return reserved;
    },
  };
}

export type ByteBudget = ReturnType<typeof byteBudget>;
