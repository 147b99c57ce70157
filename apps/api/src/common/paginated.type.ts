import { Field, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { PageInfo } from './page-info.type.js';

export interface Edge<Node> {
  cursor: string;
  node: Node;
}

export interface Connection<Node> {
  edges: Edge<Node>[];
  pageInfo: PageInfo;
}

/** A Relay connection type for the given node type (the NestJS code-first pattern). */
export function Paginated<Node>(node: Type<Node>, name: string): Type<Connection<Node>> {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<Node> {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: Node;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements Connection<Node> {
    @Field(() => [EdgeType])
    edges!: Edge<Node>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType as Type<Connection<Node>>;
}
