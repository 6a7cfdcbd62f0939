import { ArgumentMetadata, Injectable, PipeTransform, ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { BadInputError, FieldError } from '../errors/hub-errors';

/** Flattens class-validator's tree into `input.addressRanges.2: must be a CIDR range` entries. */
export function toFieldErrors(errors: ValidationError[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      // class-validator starts messages with the property name; the path already says it.
      out.push({
        path,
        message: message.startsWith(`${e.property} `)
          ? message.slice(e.property.length + 1)
          : message,
      });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, path));
  }
  return out;
}

/**
 * Validates GraphQL arguments at the edge and answers BAD_USER_INPUT with every problem and its
 * field path (argument name first), instead of Nest's generic 400.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, meta: ArgumentMetadata): Promise<unknown> {
    const nul = findNulByte(value, meta.data ?? '');
    if (nul !== undefined) {
      throw new BadInputError([{ path: nul, message: 'must not contain a NUL character' }]);
    }
    const type = meta.metatype;
    // Only classes that declare rules (inputs, args); parents, contexts and scalars pass as is.
    if (
      !type ||
      value == null ||
      !declaresRules(type as abstract new (...args: never[]) => unknown)
    )
      return value;
    const instance = plainToInstance(type, value);
    // GraphQL already refuses fields the schema lacks; whitelist only strips what @Args() hands a
    // class that declares a subset of the arguments (PageArgs beside a filter).
    const errors = await validate(instance as object, { whitelist: true });
    if (errors.length) {
      throw new BadInputError(toFieldErrors(errors, meta.data ?? ''));
    }
    return instance;
  }
}

function declaresRules(type: abstract new (...args: never[]) => unknown): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
}

/** PostgreSQL text cannot hold U+0000; refuse it at the edge with its path. */
function findNulByte(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : undefined;
  // Only argument data: plain objects and arrays (never a request or a class instance).
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as object)) {
      const hit = findNulByte(v, path ? `${path}.${k}` : k);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
