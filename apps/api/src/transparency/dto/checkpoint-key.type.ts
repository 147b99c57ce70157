import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('CheckpointKey', { description: 'A public key that signs (or signed) checkpoints. Old keys stay listed after a rotation.' })
export class CheckpointKey {
  @Field({ description: 'The key in C2SP verifier-key form, <name>+<key id>+<base64 key>: what a verifier trusts.' })
  verifierKey!: string;

  @Field({ description: 'Key name: the log origin on its checkpoints.' })
  name!: string;

  @Field({ description: 'The 4-byte key ID in 8 hex digits, as on signature lines.' })
  keyId!: string;

  @Field({ description: 'When the key first signed for this log.' })
  activatedAt!: Date;

  @Field({ description: 'Whether new checkpoints are signed with it.' })
  current!: boolean;
}
