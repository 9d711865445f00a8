import { openStore } from '../../src/store/store.js';
import { describeSessionTracesContract } from './session-traces-contract.js';

describeSessionTracesContract('sqlite', () => openStore(':memory:'));
