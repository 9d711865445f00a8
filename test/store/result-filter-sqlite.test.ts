import { openStore } from '../../src/store/store.js';
import { describeResultFilterContract } from './result-filter-contract.js';

describeResultFilterContract('sqlite', () => openStore(':memory:'));
