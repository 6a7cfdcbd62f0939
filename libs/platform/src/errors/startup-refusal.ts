/**
 * The hub refuses to start for a reason an operator must act on. main prints the message as it
 * is (one paragraph that says what to do) and exits 1, instead of a stack in the JSON log.
 */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal';
}
