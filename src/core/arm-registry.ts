import { ExperimentError } from "../errors.js";
import type { Arm } from "./arm.js";
import type { GeneratorRun } from "./generator-run.js";

/** What {@link ArmRegistry.register} added, so that a rollback can take exactly that back. */
export interface ArmRegistration {
  name: string | null;
  signature: string | null;
}

/**
 * The arms of an experiment by name and by signature (parameter values): an arm proposed again gets the
 * name of the arm already there, and a name is never given to two different parameterizations.
 * @internal
 */
export class ArmRegistry {
  private readonly bySignature = new Map<string, Arm>();
  private readonly byName = new Map<string, Arm>();

  /** An arm by its name, or undefined. */
  get(name: string): Arm | undefined {
    return this.byName.get(name);
  }

  /** The arm already registered with this signature (same parameters), or undefined. */
  findBySignature(signature: string): Arm | undefined {
    return this.bySignature.get(signature);
  }

  /**
   * Names `arm` (the name of an equal arm already registered, else `proposedName`, unless it has one)
   * and registers it.
   * @returns the keys this call added (for an undo log).
   * @throws ExperimentError when the name belongs to an arm with other parameters.
   */
  register(arm: Arm, proposedName: string): ArmRegistration {
    // Signatures are computed once here: restoring thousands of stored trials names every arm.
    const signature = arm.signature;
    const existing = this.bySignature.get(signature);
    if (!arm.hasName) arm.setNameOnce(existing?.name ?? proposedName);
    const name = arm.name!;
    const owner = this.byName.get(name);
    if (owner && owner !== existing && owner.signature !== signature) {
      throw new ExperimentError(`Arm name "${name}" is already used by an arm with other parameters.`);
    }
    if (!owner) this.byName.set(name, arm);
    if (!existing) this.bySignature.set(signature, arm);
    return { name: owner ? null : name, signature: existing ? null : signature };
  }

  /** Takes back what one {@link register} call added. */
  unregister(added: ArmRegistration): void {
    if (added.name !== null) this.byName.delete(added.name);
    if (added.signature !== null) this.bySignature.delete(added.signature);
  }

  /**
   * Names the arms of a new batch trial as `register` will, without naming anything, and throws on a
   * name clash; otherwise a refused batch would leave names behind that block every later trial of
   * that index.
   * @throws ExperimentError on a clash.
   */
  checkNames(trialIndex: number, runs: readonly GeneratorRun[]): void {
    const sigByName = new Map<string, string>();
    const nameBySig = new Map<string, string>();
    runs
      .flatMap((r) => r.arms)
      .forEach((arm, k) => {
        const sig = arm.signature;
        const name =
          arm.name ?? this.bySignature.get(sig)?.name ?? nameBySig.get(sig) ?? `${trialIndex}_${k}`;
        const ownerSig = this.byName.get(name)?.signature ?? sigByName.get(name);
        if (ownerSig !== undefined && ownerSig !== sig) {
          throw new ExperimentError(`Arm name "${name}" is already used by an arm with other parameters.`);
        }
        sigByName.set(name, sig);
        if (!nameBySig.has(sig)) nameBySig.set(sig, name);
      });
  }
}
