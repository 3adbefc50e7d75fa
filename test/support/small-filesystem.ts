import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A size-limited filesystem (tmpfs) mounted in a temp dir of the test's own, to make a disk full for real. */
export interface SmallFilesystem {
  /** Where it is mounted. */
  readonly dir: string;
  /** Unmounts it and removes the mount point. */
  destroy(): void;
}

/**
 * Mounts a tmpfs of `sizeKiB` KiB. Needs root (CAP_SYS_ADMIN), as CI and the development machines have;
 * throws otherwise, so a test never passes without the fault it is about.
 */
export function mountSmallFilesystem(sizeKiB: number): SmallFilesystem {
  const dir = mkdtempSync(join(tmpdir(), "ascent-small-fs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir]);
  return {
    dir,
    destroy() {
      try {
        execFileSync("umount", ["-l", dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Fills the filesystem at `dir` with one file until a write fails with ENOSPC. */
export function fillFilesystem(dir: string): void {
  const fd = openSync(join(dir, "filler"), "w");
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}
