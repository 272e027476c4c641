import { renditionSuite } from './renditionSuite.ts';

renditionSuite('the files engine', () => ({}));
