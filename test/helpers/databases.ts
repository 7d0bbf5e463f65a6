import { afterAll, beforeAll, describe } from 'vitest';
import { ENGINES, type EngineName, openTestDatabase, type TestDatabase } from './engines';

export {
  ENGINES,
  type EngineName,
  openTestDatabase,
  testConfig,
  type TestDatabase,
} from './engines';

/**
 * Runs a suite once per engine. The suite reads `t()` inside its tests to get the database
 * opened for that engine.
 */
export function describeEachEngine(
  title: string,
  suite: (t: () => TestDatabase, engine: EngineName) => void,
) {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(engine);
      });
      afterAll(async () => {
        await current?.cleanup();
      });
      suite(() => {
        if (!current) throw new Error('test database not open');
        return current;
      }, engine);
    });
  }
}
