import { registerEnumType } from '@nestjs/graphql';
import { TlpMarking } from './tlp';

registerEnumType(TlpMarking, {
  name: 'Tlp',
  description: 'TLP 2.0 marking; AMBER_STRICT is TLP:AMBER+STRICT.',
});
