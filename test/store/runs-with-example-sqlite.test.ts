import { openStore } from '../../src/store/store.js';
import { describeRunsWithExampleContract } from './runs-with-example-contract.js';

describeRunsWithExampleContract('sqlite', () => openStore(':memory:'));
