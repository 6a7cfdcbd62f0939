import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { withoutNulls } from './null-arguments';

/**
 * A GraphQL convention, kept in one place for every argument of every operation: a nullable
 * argument or input field given `null` means "not given". GraphQL itself refuses null where the
 * schema says non-null, so every null reaching here is an optional value left out; without this
 * each service would have to tell `null` from `undefined` (`reportEvents(after: null)` was "not a
 * cursor", `organisations(first: null)` an empty page, `updateOrganisation(input: { name: null })`
 * a database error). Clearing a value has its own field where the schema offers it (clearGroup).
 */
@Injectable()
export class NullArgumentsPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    // Nest hands an @Args() value to pipes as 'body' (its GqlParamtype.ARGS is RouteParamtypes
    // .BODY's number); parents and contexts are 'custom' and pass untouched. No REST route
    // takes a JSON body through @Body() today; one that did would get the same convention.
    return meta.type === 'body' ? withoutNulls(value) : value;
  }
}
