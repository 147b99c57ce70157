import { CheckpointKeyEntity } from './checkpoint-key.entity.js';
import { CheckpointEntity } from './checkpoint.entity.js';
import { MerkleNodeEntity } from './merkle-node.entity.js';

/** The transparency log's tables, for apps/api/src/database/entities.ts. */
export const TRANSPARENCY_ENTITIES = [MerkleNodeEntity, CheckpointKeyEntity, CheckpointEntity];
