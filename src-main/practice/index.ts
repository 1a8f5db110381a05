/** The practice targets by name. */
import { createLitellmPractice } from './litellm.js';
import { createMetabasePractice } from './metabase.js';
import { createOpenWebuiPractice } from './open-webui.js';
import type { PracticeName, PracticeOptions, PracticeProvider } from './practice.js';

export { PRACTICE_NAMES, isPracticeName, type PracticeName, type PracticeOptions, type PracticeProvider } from './practice.js';

export function createPractice(name: PracticeName, options: PracticeOptions = {}): PracticeProvider {
  switch (name) {
    case 'litellm':
      return createLitellmPractice(options);
    case 'open-webui':
      return createOpenWebuiPractice(options);
    case 'metabase':
      return createMetabasePractice(options);
  }
}
