import { ArgumentMetadata, Injectable, PipeTransform, ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { BadInputError, FieldError } from '../errors/hub-errors';
import { findUnstorableText } from './unstorable-text';

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
    const unstorable = findUnstorableText(value, meta.data ?? '');
    if (unstorable) throw new BadInputError([unstorable]);
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
