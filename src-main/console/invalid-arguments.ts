/** Arguments a caller sent that the contract does not allow; transports report it as a 400. */
export class InvalidCommandArguments extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCommandArguments';
  }
}
