// clojure.pprint's engine: the bundled lib/clojure/pprint.cljc defines the namespace (its
// dynamic vars, pprint, print-table) and lays values out through this helper.

import { truthy } from '../errors.js';
import { prettyText } from '../pretty.js';
import { coreLib, internal } from './lib.js';

internal('pretty-text', {
  2: (x, margin) => prettyText(x, Number(margin), truthy(coreLib['*print-readably*'])),
});
