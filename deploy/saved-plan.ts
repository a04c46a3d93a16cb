import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class PlanChangedError extends Error {
  override readonly name = 'PlanChangedError';
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * A plan file as it was when Terraform wrote and showed it. Terraform itself refuses a saved plan
 * whose state changed since; this also refuses one whose file was replaced or rewritten.
 */
export class SavedPlan {
  private constructor(
    readonly path: string,
    readonly sha256: string,
  ) {}

  static record(path: string): SavedPlan {
    return new SavedPlan(path, sha256(path));
  }

  assertUnchanged(): void {
    const now = sha256(this.path);
    if (now !== this.sha256) {
      throw new PlanChangedError(`the saved plan ${this.path} changed after it was shown (sha256 ${this.sha256.slice(0, 12)}, now ${now.slice(0, 12)}): nothing was applied; run the deploy again to see the current plan`);
    }
  }
}
