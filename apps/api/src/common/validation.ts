import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DomainError, ErrorCode } from './domain-error.js';

const OPTIONS = { whitelist: true, forbidUnknownValues: true, stopAtFirstError: true } as const;
const NOT_VALIDATED = new Set<unknown>([String, Boolean, Number, Array, Object, Date]);

interface Problem {
  field: string;
  message: string;
}

function problemsOf(errors: ValidationError[], parent: string): Problem[] {
  return errors.flatMap((error) => {
    // array items come as properties "0", "1" …: name them the way clients index them
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator's own messages start with the property name; the field path replaces it
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...problemsOf(error.children ?? [], field)];
  });
}

function refuse(problems: Problem[]): DomainError {
  const message = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, problems[0]?.field);
}

async function validated<T extends object>(type: new () => T, value: unknown, path: string): Promise<{ instance: T; problems: Problem[] }> {
  const instance = plainToInstance(type, value ?? {});
  const problems = problemsOf(await validate(instance, OPTIONS), path);
  return { instance, problems };
}

/**
 * Global pipe: runs class-validator on every GraphQL input object; a failure is
 * BAD_USER_INPUT whose message names each field by its path (`input.amount: …`).
 */
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || NOT_VALIDATED.has(type) || typeof value !== 'object' || value === null) return value;
    const { instance, problems } = await validated(type as new () => object, value, metadata.data ?? 'input');
    if (problems.length > 0) throw refuse(problems);
    return instance;
  }
}

/** The same for a list argument, naming fields as `inputs[3].amount`. */
export class ValidateEach<T extends object> implements PipeTransform {
  constructor(
    private readonly type: new () => T,
    private readonly name: string,
  ) {}

  async transform(value: unknown): Promise<T[]> {
    if (!Array.isArray(value)) throw DomainError.badInput(this.name, 'must be a list');
    const results = await Promise.all(value.map((item, index) => validated(this.type, item, `${this.name}[${index}]`)));
    const problems = results.flatMap((result) => result.problems);
    if (problems.length > 0) throw refuse(problems);
    return results.map((result) => result.instance);
  }
}
