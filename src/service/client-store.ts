import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import type { JsonValue } from "../core/json.js";
import { ClientError } from "../errors.js";
import { MemoryStore } from "../storage/memory/memory-store.js";

/**
 * The Client's handle on its store: opens it once (lazily for database settings), and remembers the
 * generation state this Client last saved or loaded, to notice when another Client changed it.
 * @internal
 */
export class ClientStore {
  private readonly provider: StoreProvider;
  private opened: ExperimentStore | null;
  private opening: Promise<ExperimentStore> | null = null;
  private knownState: string | null = null;

  /** @throws ClientError when both a store and database settings are given. */
  constructor(store: ExperimentStore | undefined, dbSettings: StoreProvider | undefined) {
    if (store && dbSettings) throw new ClientError("Give the Client either store or dbSettings, not both.");
    const ready = store ?? (dbSettings ? null : new MemoryStore());
    this.provider = dbSettings ?? {
      openStore: async () => ready!,
      description: `a ${ready!.constructor.name}`,
    };
    this.opened = ready;
  }

  /** Where the store is, for messages. */
  get description(): string {
    return this.provider.description;
  }

  /** The store once opened, else null. */
  get current(): ExperimentStore | null {
    return this.opened;
  }

  /** Opens the store once; a failed open is tried again by the next call. */
  async open(): Promise<ExperimentStore> {
    if (this.opened) return this.opened;
    this.opening ??= this.provider.openStore();
    try {
      this.opened = await this.opening;
      return this.opened;
    } finally {
      this.opening = null;
    }
  }

  /** Records the generation state this Client saved or loaded. */
  noteState(state: JsonValue): void {
    this.knownState = JSON.stringify(state);
  }

  /** The stored generation state when another Client changed it since this one last saw it, else null. */
  async changedState(experimentName: string): Promise<JsonValue | null> {
    const state = await (await this.open()).loadGenerationState(experimentName);
    if (state === null) return null;
    const text = JSON.stringify(state);
    if (text === this.knownState) return null;
    this.knownState = text;
    return state;
  }
}
