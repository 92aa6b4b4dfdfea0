import type { ChainFormula } from '../../domain/audit/chain-verifier.js';
import { canonicalJson } from '../../infra/canonical-json.js';
import { chainVersionOf, GENESIS_HASH, linkHash, personalDigest, sha256Hex } from '../hash-chain.js';

/** The one hash-chain formula, the command handler's, as the audit domain consumes it. */
export const chainFormula: ChainFormula = {
  genesisHash: GENESIS_HASH,
  versionOf: chainVersionOf,
  linkHash: ({ version, ...link }) => {
    if (version !== 1 && version !== 2) throw new Error(`unknown hash-chain version ${version}`);
    return linkHash({ version, ...link });
  },
  personalDigest,
  digest: (value) => sha256Hex(canonicalJson(value)),
};
